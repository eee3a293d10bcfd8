#!/usr/bin/env bash
# Benchmark: the workbench, Customer Accounts and the daily job on a large
# book of invoices.
#   bash dev/bench.sh                   # 10% then 100% of 2,000 customers / 20,000 invoices
#   BENCH_SCALES="0.1" bash dev/bench.sh
#   BENCH_SCALES="0.1 1 10" bash dev/bench.sh  # and 20,000 customers / 200,000 invoices
#   BENCH_REUSE=1 bash dev/bench.sh     # keep the generated books of a previous run
#   BENCH_STEPS=accounting bash dev/bench.sh   # only the module's cost on accounting
# Each scale's book of invoices is generated once into a template database
# (account_dunning_bench_<scale>, kept for later runs), with a reminder
# history (a book of an older run without one gets it when reused); every
# measured step runs on a fresh copy of it, in a process of its own: opening
# and preparing the workbench, opening Customer Accounts, a customer's page
# of the reminder history, the daily job with letter PDFs, the daily job
# with plain emails. Prints the figures as a table, with each book's mix.
# A whole scale above 1 (10) is not generated with the ORM (about 1,000
# invoices a minute): it is the scale-1 book (reused when it exists, even
# without BENCH_REUSE, else generated) copied that many times over in SQL
# by dev/bench_scale.py, then checked with the ORM (about a minute). Scale
# 10 is not in the default scales: its daily job steps would take ten times
# scale 1's, over twenty minutes; BENCH_SCALES="0.1 1 10"
# BENCH_STEPS="workbench customers history" measures the book steps at
# every scale.
# BENCH_STEPS chooses the steps (default: all of them): workbench,
# customers, history, job and job_plain on the books above; accounting measures on two small databases,
# one with `account` alone and one with `account_dunning` too (templates
# account_dunning_bench_acct_{account,dunning}, kept like the books), the
# queries of posting and of paying BENCH_INVOICES (300) customer invoices one
# by one, and prints them as a second table with the module's extra queries
# per invoice posted and per payment. portal opens the customer page of a
# reminder (account_dunning_portal) for one customer with 200 open invoices,
# in a small database of its own (template account_dunning_bench_portal,
# kept like the books; see dev/bench_portal.py): warm, median of 5 GETs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
source "$here/env.sh"
results=$(mktemp)
odoo_shell() {
    # odoo_shell DATABASE [SCRIPT]: runs SCRIPT (dev/bench.py) in `odoo-bin shell`
    # shellcheck disable=SC2086
    $ODOO_VENV/bin/python $ODOO_SRC/odoo-bin shell --addons-path="$ADDONS_PATH" -d "$1" \
        --log-level=warn --no-http < "${2:-$here/bench.py}"
}
db_exists() {
    psql -d postgres -tAc "select 1 from pg_database where datname = '$1'" | grep -q 1
}
made=" "
book() {
    # book SCALE [source]: the template database of the book at SCALE, made
    # once per run: reused (BENCH_REUSE, or as the source of a larger book),
    # copied from the scale-1 book (a whole scale above 1), or generated
    local scale=$1 base="account_dunning_bench_${1/./_}" started=$SECONDS
    [[ "$made" == *" $scale "* ]] && return
    if db_exists "$base" && { [ -n "${BENCH_REUSE:-}" ] || [ "${2:-}" = source ]; }; then
        echo "[bench] scale $scale: reusing $base, module updated"
        # shellcheck disable=SC2086
        $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -u account_dunning \
            --stop-after-init --log-level=warn --no-http
        if [ "$(psql -d "$base" -tAc 'select count(*) from account_dunning')" = 0 ]; then
            echo "[bench] scale $scale: adding a reminder history to $base"
            BENCH_STEP=make_history BENCH_SCALE=$scale BENCH_RESULTS=$results odoo_shell "$base"
        fi
    elif [[ "$scale" =~ ^[0-9]+$ ]] && [ "$scale" -gt 1 ]; then
        book 1 source
        started=$SECONDS
        echo "[bench] scale $scale: copying account_dunning_bench_1 $scale times over into $base"
        dropdb --if-exists "$base" 2>/dev/null
        createdb -T account_dunning_bench_1 "$base"
        BENCH_FACTOR=$scale BENCH_SCALE_STEP=copy odoo_shell "$base" "$here/bench_scale.py"
        psql -d "$base" -qc "VACUUM ANALYZE"
        BENCH_FACTOR=$scale BENCH_SCALE_STEP=check odoo_shell "$base" "$here/bench_scale.py"
        echo "{\"step\": \"build\", \"scale\": $scale, \"how\": \"copied from scale 1 in SQL\", \"seconds\": $((SECONDS - started))}" >>"$results"
    else
        dropdb --if-exists "$base" 2>/dev/null
        echo "[bench] scale $scale: generating $base"
        # shellcheck disable=SC2086
        $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -i account_dunning --without-demo=all \
            --stop-after-init --log-level=warn --no-http
        BENCH_STEP=generate BENCH_SCALE=$scale BENCH_RESULTS=$results odoo_shell "$base"
        echo "{\"step\": \"build\", \"scale\": $scale, \"how\": \"generated with the ORM\", \"seconds\": $((SECONDS - started))}" >>"$results"
    fi
    made="$made$scale "
}
steps=" ${BENCH_STEPS:-workbench customers history job job_plain accounting portal} "
book_steps=""
for step in workbench customers history job job_plain; do
    [[ "$steps" == *" $step "* ]] && book_steps="$book_steps $step"
done
scales=${BENCH_SCALES:-0.1 1}
[ -n "$book_steps" ] || scales=""
for scale in $scales; do
    base="account_dunning_bench_${scale/./_}"
    book "$scale"
    # what the book holds (payment states, currencies, levels), printed with the results
    BENCH_STEP=mix BENCH_SCALE=$scale BENCH_RESULTS=$results odoo_shell "$base"
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
if [[ "$steps" == *" portal "* ]]; then
    base=account_dunning_bench_portal
    if [ -n "${BENCH_REUSE:-}" ] && psql -d postgres -tAc "select 1 from pg_database where datname = '$base'" | grep -q 1; then
        echo "[bench] customer page: reusing $base, modules updated"
        # shellcheck disable=SC2086
        $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -u account_dunning,account_dunning_portal \
            --stop-after-init --log-level=warn --no-http
    else
        dropdb --if-exists "$base" 2>/dev/null
        echo "[bench] customer page: creating $base (-i account_dunning_portal)"
        # shellcheck disable=SC2086
        $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$base" -i account_dunning_portal --without-demo=all \
            --stop-after-init --log-level=warn --no-http
    fi
    run="${base}_run"
    dropdb --if-exists "$run" 2>/dev/null
    createdb -T "$base" "$run"
    echo "[bench] customer page: one customer, 200 open invoices"
    # shellcheck disable=SC2086
    BENCH_RESULTS=$results $ODOO_VENV/bin/python $ODOO_SRC/odoo-bin shell --addons-path="$ADDONS_PATH" \
        -d "$run" --log-level=warn --no-http < "$here/bench_portal.py"
    dropdb "$run"
fi
"$ODOO_VENV/bin/python" "$here/bench_table.py" "$results"
