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
# customers, history, behaviour, job and job_plain on the books above;
# behaviour pays every second invoice of the book in SQL (a year of payment
# history) and times the refresh of the customers' grades, predicted dates
# and priorities of each company, twice (the first writes everything, the
# next day's what changed), the worklist sorted by priority and the
# expected cash; accounting measures on two small databases,
# one with `account` alone and one with `account_dunning` too (templates
# account_dunning_bench_acct_{account,dunning}, kept like the books), the
# queries of posting and of paying BENCH_INVOICES (300) customer invoices one
# by one, and prints them as a second table with the module's extra queries
# per invoice posted and per payment. portal opens the customer page of a
# reminder (account_dunning_portal) for one customer with 200 open invoices,
# in a small database of its own (template account_dunning_bench_portal,
# kept like the books; see dev/bench_portal.py): warm, median of 5 GETs.
# queue runs the daily job at scale 1 on OCA's job queue (account_dunning_queue)
# with a real Odoo server and its job runner, the channel root.account_dunning
# at capacity 1 then 2, and prints both times, their ratio and the customers
# reminded twice that day (none), as a third table (see queue_bench below).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
# shellcheck source=dev/env.sh
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
    # the statistics a live database keeps (autovacuum analyzes a table soon
    # after a bulk load; a book made by a script and kept as a template has
    # none, and the planner then takes 20,000 invoices for one)
    psql -d "$base" -qc "ANALYZE"
    made="$made$scale "
}
# --- queue: the daily job at scale 1 on OCA's job queue -----------------------
# A copy of the scale-1 book (the template is not touched) gets queue_job
# (-i queue_job; account_dunning_queue comes by auto_install) and plain
# emails (as job_plain); then, for each capacity of the channel
# root.account_dunning (BENCH_QUEUE_CAPACITIES, "1 2"), a copy of that copy
# is served by a real Odoo server (--workers=3 --load=web,queue_job, its job
# runner, no cron worker) on ports of its own (BENCH_QUEUE_PORT, 8690, and
# the next one), the daily job is triggered from `odoo-bin shell` (it plans
# the run and enqueues the batches) once the server answers and the machine
# is quiet (load average under BENCH_QUEUE_LOAD, 0.5, waiting 30 s at a time
# for BENCH_QUEUE_WAIT seconds, 600, at most), timed until the run is done,
# the server stopped, and the book checked: no customer reminded twice in a
# currency that day (dev/bench_queue.py). Server logs in .logs/.
queue_pid=""
queue_load=""
queue_dbs=()
queue_port=${BENCH_QUEUE_PORT:-8690}
queue_stop() {
    # stops the Odoo server started by queue_serve (its process group)
    [ -n "$queue_pid" ] || return 0
    local pid=$queue_pid waited=0
    queue_pid=""
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 60 ]; do
        sleep 1
        waited=$((waited + 1))
    done
    # whatever is left of the server's processes (its session: setsid)
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
queue_cleanup() {
    queue_stop
    local db
    for db in "${queue_dbs[@]}"; do
        dropdb --if-exists "$db" 2>/dev/null || true
    done
}
trap queue_cleanup EXIT
trap 'exit 130' INT TERM
port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
copy_db() {
    # copy_db TEMPLATE DATABASE: createdb -T, tried again while another
    # session uses the template (another run copying it)
    local tries=0
    dropdb --if-exists "$2" 2>/dev/null
    until createdb -T "$1" "$2"; do
        tries=$((tries + 1))
        [ "$tries" -lt 20 ] || return 1
        sleep 15
    done
}
queue_serve() {
    # queue_serve DATABASE CAPACITY LOG: starts the server, returns once it
    # answers and its job runner is ready for DATABASE
    local db=$1 capacity=$2 log=$3 waited=0
    while ! port_free "$queue_port" || ! port_free "$((queue_port + 1))"; do
        queue_port=$((queue_port + 2))
    done
    echo "[bench] queue: Odoo server on port $queue_port, channels root:2,root.account_dunning:$capacity (log: $log)"
    # shellcheck disable=SC2086
    ODOO_QUEUE_JOB_CHANNELS="root:2,root.account_dunning:$capacity" setsid $ODOO_BIN \
        --addons-path="$ADDONS_PATH" -d "$db" --db-filter="^$db\$" \
        --workers=3 --load=web,queue_job --max-cron-threads=0 \
        --http-interface=127.0.0.1 --http-port="$queue_port" --gevent-port="$((queue_port + 1))" \
        --limit-time-cpu=900 --limit-time-real=1800 --log-level=info >"$log" 2>&1 &
    queue_pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$queue_port/web/health" \
            && grep -q "queue job runner ready for db $db" "$log"; do
        if ! kill -0 "$queue_pid" 2>/dev/null || [ "$waited" -ge 180 ]; then
            echo "[bench] queue: the server did not start (see $log)" >&2
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
}
quiet() {
    # sets queue_load to the load average once under BENCH_QUEUE_LOAD (or
    # after BENCH_QUEUE_WAIT seconds); its sleep is interrupted by a signal
    local waited=0
    queue_load=$(cut -d' ' -f1 /proc/loadavg)
    while awk -v now="$queue_load" -v max="${BENCH_QUEUE_LOAD:-0.5}" 'BEGIN { exit !(now >= max) }' \
            && [ "$waited" -lt "${BENCH_QUEUE_WAIT:-600}" ]; do
        echo "[bench] queue: load average $queue_load, waiting for a quiet machine"
        sleep 30 &
        wait $!
        waited=$((waited + 30))
        queue_load=$(cut -d' ' -f1 /proc/loadavg)
    done
}
queue_bench() {
    local base=account_dunning_bench_1 prepared=account_dunning_bench_1_queue
    local state capacity run log
    db_exists "$base" || book 1
    state=$(mktemp)
    queue_dbs+=("$prepared")
    copy_db "$base" "$prepared"
    echo "[bench] queue: installing queue_job into a copy of $base (account_dunning updated)"
    # shellcheck disable=SC2086
    $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$prepared" -i queue_job -u account_dunning \
        --stop-after-init --log-level=warn --no-http
    BENCH_QUEUE_STEP=prepare BENCH_QUEUE_STATE=$state odoo_shell "$prepared" "$here/bench_queue.py"
    mkdir -p "$REPO/.logs"
    for capacity in ${BENCH_QUEUE_CAPACITIES:-1 2}; do
        run="${prepared}_run"
        queue_dbs+=("$run")
        copy_db "$prepared" "$run"
        log="$REPO/.logs/bench-queue-$capacity-$(date +%Y%m%d-%H%M%S).log"
        queue_serve "$run" "$capacity" "$log"
        quiet
        echo "[bench] queue: capacity $capacity, load average $queue_load: the daily job"
        BENCH_QUEUE_STEP=trigger BENCH_QUEUE_STATE=$state odoo_shell "$run" "$here/bench_queue.py"
        queue_stop
        BENCH_QUEUE_STEP=check BENCH_QUEUE_STATE=$state BENCH_CAPACITY=$capacity BENCH_LOAD=$queue_load \
            BENCH_RESULTS=$results odoo_shell "$run" "$here/bench_queue.py"
        dropdb "$run"
    done
    dropdb "$prepared"
    rm -f "$state"
}
steps=" ${BENCH_STEPS:-workbench customers history behaviour job job_plain accounting portal queue} "
book_steps=""
for step in workbench customers history behaviour job job_plain; do
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
if [[ "$steps" == *" queue "* ]]; then
    queue_bench
fi
"$ODOO_VENV/bin/python" "$here/bench_table.py" "$results"
