#!/usr/bin/env bash
# Benchmark: the workbench and the daily job on a large book of invoices.
#   bash dev/bench.sh            # 10% then 100% of 2,000 customers / 20,000 invoices
#   BENCH_SCALES="0.1" bash dev/bench.sh
# Each scale gets a fresh database; an Odoo server runs beside it so that
# wkhtmltopdf finds the report styles, as in production. Prints a table.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
source "$here/env.sh"
port=${BENCH_PORT:-8269}
results=$(mktemp)
for scale in ${BENCH_SCALES:-0.1 1}; do
    db="account_dunning_bench_${scale/./_}"
    dropdb --if-exists "$db"
    echo "[bench] scale $scale: database $db"
    # shellcheck disable=SC2086
    $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" -i account_dunning --without-demo=all \
        --stop-after-init --log-level=warn
    # shellcheck disable=SC2086
    $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" --db-filter="^$db\$" --http-interface=127.0.0.1 \
        --http-port="$port" --max-cron-threads=0 --log-level=warn >/dev/null 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for step in generate workbench job; do
        # shellcheck disable=SC2086
        BENCH_STEP=$step BENCH_SCALE=$scale BENCH_PORT=$port BENCH_RESULTS=$results \
            $ODOO_VENV/bin/python $ODOO_SRC/odoo-bin shell --addons-path="$ADDONS_PATH" -d "$db" \
            --log-level=warn --no-http < "$here/bench.py"
    done
    kill $server 2>/dev/null || true
    wait $server 2>/dev/null || true
done
"$ODOO_VENV/bin/python" "$here/bench_table.py" "$results"
