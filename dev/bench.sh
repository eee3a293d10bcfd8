#!/usr/bin/env bash
# Benchmark: the workbench and the daily job on a large book of invoices.
#   bash dev/bench.sh                   # 10% then 100% of 2,000 customers / 20,000 invoices
#   BENCH_SCALES="0.1" bash dev/bench.sh
#   BENCH_REUSE=1 bash dev/bench.sh     # keep the generated books of a previous run
# Each scale's book of invoices is generated once into a template database
# (account_dunning_bench_<scale>, kept for later runs); every measured step
# runs on a fresh copy of it, in a process of its own: opening and preparing
# the workbench, the daily job with letter PDFs, the daily job with plain
# emails. Prints the figures as a table.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
source "$here/env.sh"
results=$(mktemp)
odoo_shell() {
    # shellcheck disable=SC2086
    $ODOO_VENV/bin/python $ODOO_SRC/odoo-bin shell --addons-path="$ADDONS_PATH" -d "$1" \
        --log-level=warn --no-http < "$here/bench.py"
}
for scale in ${BENCH_SCALES:-0.1 1}; do
    base="account_dunning_bench_${scale/./_}"
    if [ -n "${BENCH_REUSE:-}" ] && psql -d postgres -tAc "select 1 from pg_database where datname = '$base'" | grep -q 1; then
        echo "[bench] scale $scale: reusing $base, module updated"
        # shellcheck disable=SC2086
        $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -u account_dunning \
            --stop-after-init --log-level=warn --no-http
    else
        dropdb --if-exists "$base" 2>/dev/null
        echo "[bench] scale $scale: generating $base"
        # shellcheck disable=SC2086
        $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -i account_dunning --without-demo=all \
            --stop-after-init --log-level=warn --no-http
        BENCH_STEP=generate BENCH_SCALE=$scale BENCH_RESULTS=$results odoo_shell "$base"
    fi
    for step in workbench job job_plain; do
        run="${base}_run"
        dropdb --if-exists "$run" 2>/dev/null
        createdb -T "$base" "$run"
        echo "[bench] scale $scale: $step"
        BENCH_STEP=$step BENCH_SCALE=$scale BENCH_RESULTS=$results odoo_shell "$run"
        dropdb "$run"
    done
done
"$ODOO_VENV/bin/python" "$here/bench_table.py" "$results"
