#!/usr/bin/env bash
# Benchmark: the workbench, Customer Accounts and the daily job on a large
# book of invoices.
#   bash dev/bench.sh                   # 10% then 100% of 2,000 customers / 20,000 invoices
#   BENCH_SCALES="0.1" bash dev/bench.sh
#   BENCH_REUSE=1 bash dev/bench.sh     # keep the generated books of a previous run
#   BENCH_STEPS=accounting bash dev/bench.sh   # only the module's cost on accounting
# Each scale's book of invoices is generated once into a template database
# (account_dunning_bench_<scale>, kept for later runs); every measured step
# runs on a fresh copy of it, in a process of its own: opening and preparing
# the workbench, opening Customer Accounts, the daily job with letter PDFs,
# the daily job with plain emails. Prints the figures as a table.
# BENCH_STEPS chooses the steps (default: all of them): workbench,
# customers, job and job_plain on the books above; accounting measures on two small databases,
# one with `account` alone and one with `account_dunning` too (templates
# account_dunning_bench_acct_{account,dunning}, kept like the books), the
# queries of posting and of paying BENCH_INVOICES (300) customer invoices one
# by one, and prints them as a second table with the module's extra queries
# per invoice posted and per payment.
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
steps=" ${BENCH_STEPS:-workbench customers job job_plain accounting} "
book_steps=""
for step in workbench customers job job_plain; do
    [[ "$steps" == *" $step "* ]] && book_steps="$book_steps $step"
done
scales=${BENCH_SCALES:-0.1 1}
[ -n "$book_steps" ] || scales=""
for scale in $scales; do
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
    for step in $book_steps; do
        run="${base}_run"
        dropdb --if-exists "$run" 2>/dev/null
        createdb -T "$base" "$run"
        echo "[bench] scale $scale: $step"
        BENCH_STEP=$step BENCH_SCALE=$scale BENCH_RESULTS=$results odoo_shell "$run"
        dropdb "$run"
    done
done
if [[ "$steps" == *" accounting "* ]]; then
    # the same invoices and payments with `account` alone, then with the module
    for modules in account account_dunning; do
        base="account_dunning_bench_acct_${modules#account_}"
        if [ -n "${BENCH_REUSE:-}" ] && psql -d postgres -tAc "select 1 from pg_database where datname = '$base'" | grep -q 1; then
            echo "[bench] accounting: reusing $base"
            if [ "$modules" = account_dunning ]; then
                # shellcheck disable=SC2086
                $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -u account_dunning \
                    --stop-after-init --log-level=warn --no-http
            fi
        else
            dropdb --if-exists "$base" 2>/dev/null
            echo "[bench] accounting: creating $base (-i $modules)"
            # shellcheck disable=SC2086
            $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -i "$modules" --without-demo=all \
                --stop-after-init --log-level=warn --no-http
        fi
        run="${base}_run"
        dropdb --if-exists "$run" 2>/dev/null
        createdb -T "$base" "$run"
        echo "[bench] accounting: $modules"
        BENCH_STEP=accounting BENCH_RESULTS=$results odoo_shell "$run"
        dropdb "$run"
    done
fi
"$ODOO_VENV/bin/python" "$here/bench_table.py" "$results"
