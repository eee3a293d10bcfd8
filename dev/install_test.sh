#!/usr/bin/env bash
# The addon installed the way a user gets it, in throwaway databases of their
# own, without demo data; part of `make test` (dev/test.sh), and runs alone:
#
#   sms     account_dunning and Odoo's SMS named: the SMS bridge must come on
#           its own (its auto_install), and so must every bridge whose
#           modules are there (tests tagged dunning_install)
#   no-sms  the same database, Odoo's SMS then uninstalled (and with it the
#           SMS bridge): a level that sends an SMS has the customer called
#           (dunning_without_sms)
#   sale    account_dunning and Sales named: the quotation bridge must come on
#           its own; and the daily job outside the test's transaction, its
#           batches really committed (dunning_commit)
#
# No bridge is ever named (tests/test_dunning_install.py checks it too). Note
# that account_dunning alone already brings SMS (Odoo installs it with mail)
# and the customer page bridge (Odoo installs account_payment with account).
# Prints "N passed, N failed" and exits non-zero on any failure; when
# INSTALL_TEST_LOGS names a file, adds its logs' paths to it instead of
# printing the summary (dev/test.sh sums them up with its own).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/env.sh"

logdir=${TEST_LOG_DIR:-$REPO/.logs}
mkdir -p "$logdir"
stamp=$(date +%Y%m%d-%H%M%S)
port=$((${TEST_HTTP_PORT:-8169} + 2))
filestore=${XDG_DATA_HOME:-$HOME/.local/share}/Odoo/filestore
sms_db="account_dunning_install_sms_$$"
nosms_db="account_dunning_install_nosms_$$"
sale_db="account_dunning_install_sale_$$"
cleanup() {
    for db in "$sms_db" "$nosms_db" "$sale_db"; do
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
        rm -rf "${filestore:?}/$db"
    done
}
trap cleanup EXIT

status=0
logs=()

# run_odoo COMMAND DB LOG ARGS...: one Odoo command (server, shell) on DB,
# its output added to LOG
run_odoo() {
    local command=$1 db=$2 log=$3
    shift 3
    # shellcheck disable=SC2086
    $ODOO_BIN "$command" --addons-path="$ADDONS_PATH" -d "$db" --http-port="$port" \
        --max-cron-threads=0 --without-demo=all "$@" >>"$log" 2>&1 || {
        echo "[install] Odoo failed on $db (see $log)"
        status=1
    }
}

# install NAME MODULES TAGS: a database with MODULES named, and the tests of TAGS
install() {
    local name=$1 modules=$2 tags=$3 db log
    db="account_dunning_install_${name}_$$"
    log="$logdir/test-install-$name-$stamp.log"
    logs+=("$log")
    echo "[install] $modules, nothing else named, in $db; tests $tags (log: $log)"
    run_odoo server "$db" "$log" -i "$modules" --test-enable --test-tags "$tags" --stop-after-init \
        --log-level=test
}

install sms "account_dunning,sms" "dunning_install"

log="$logdir/test-install-nosms-$stamp.log"
logs+=("$log")
echo "[install] $sms_db copied to $nosms_db, Odoo's SMS uninstalled; tests" \
    "dunning_install,dunning_without_sms (log: $log)"
if createdb -T "$sms_db" "$nosms_db"; then
    if [ -d "$filestore/$sms_db" ]; then cp -a "$filestore/$sms_db" "$filestore/$nosms_db"; fi
    echo "env['ir.module.module'].search([('name', '=', 'sms')]).button_immediate_uninstall()" |
        run_odoo shell "$nosms_db" "$log" --no-http --log-level=warn
    # no module installed or updated: the post-install tests of every module
    # installed, those of the tags only
    run_odoo server "$nosms_db" "$log" --test-enable --test-tags "dunning_install,dunning_without_sms" \
        --stop-after-init --log-level=test
else
    echo "[install] could not copy $sms_db" | tee -a "$log"
    status=1
fi

install sale "account_dunning,sale" "dunning_install,dunning_commit"

if [ -n "${INSTALL_TEST_LOGS:-}" ]; then
    printf '%s\n' "${logs[@]}" >>"$INSTALL_TEST_LOGS"
else
    "$ODOO_VENV/bin/python" "$here/test_summary.py" "${logs[@]}" || status=1
fi
exit $status
