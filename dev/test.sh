#!/usr/bin/env bash
# The whole test suite: set-up, lint, the wheel, then every test of the module in a
# throwaway database, the job queue bridge's in a second one, and the addon
# installed as a user gets it in three more (dev/install_test.sh). Prints
# "N passed, N failed" for all and exits non-zero on any failure, error, or
# when no test ran in one of them.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh" || exit 1
source "$here/env.sh"

status=0
bash "$here/lint.sh" || status=1
# the addon as a wheel, installed into a fresh virtualenv
bash "$here/wheel.sh" || { echo "[wheel] FAILED"; status=1; }

db="account_dunning_test_$$"
qdb="account_dunning_queue_test_$$"
logdir=${TEST_LOG_DIR:-$REPO/.logs}
mkdir -p "$logdir"
log="$logdir/test-$(date +%Y%m%d-%H%M%S).log"
cleanup() {
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
    dropdb --if-exists "$qdb" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "[test] installing $DUNNING_ADDONS with their tests in database $db (log: $log)"
# shellcheck disable=SC2086
$ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" \
    -i "$DUNNING_ADDONS,$DUNNING_TEST_ADDONS" --test-enable --test-tags "${TEST_TAGS:-$DUNNING_TEST_TAGS}" \
    --stop-after-init --http-port="${TEST_HTTP_PORT:-8169}" --log-level=test \
    --max-cron-threads=0 ${TEST_WITHOUT_DEMO:+--without-demo=all} >"$log" 2>&1
odoo_rc=$?
logs=("$log")

# The job queue bridge in a database of its own: account_dunning and OCA's
# queue_job installed, the bridge never named (its auto_install brings it),
# only its tests. Left out when TEST_TAGS narrows the run above, unless
# QUEUE_TEST_TAGS says which of its tests to run.
queue_rc=0
if [ -z "${TEST_TAGS:-}" ] || [ -n "${QUEUE_TEST_TAGS:-}" ]; then
    qlog="$logdir/test-queue-$(date +%Y%m%d-%H%M%S).log"
    echo "[test] installing $DUNNING_QUEUE_INSTALL (account_dunning_queue comes on its own)" \
        "with its tests in database $qdb (log: $qlog)"
    # shellcheck disable=SC2086
    $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$qdb" \
        -i "$DUNNING_QUEUE_INSTALL" --test-enable \
        --test-tags "${QUEUE_TEST_TAGS:-$DUNNING_QUEUE_TEST_TAGS}" \
        --stop-after-init --http-port="$((${TEST_HTTP_PORT:-8169} + 1))" --log-level=test \
        --max-cron-threads=0 --without-demo=all >"$qlog" 2>&1
    queue_rc=$?
    logs+=("$qlog")
fi

# The addon installed the way a user gets it, in throwaway databases of their
# own (dev/install_test.sh): each bridge comes on its own, a level with SMS
# calls the customer where SMS is uninstalled, and the daily job really
# commits its batches. Left out when TEST_TAGS narrows the run above, unless
# INSTALL_TESTS is set.
install_rc=0
if [ -z "${TEST_TAGS:-}" ] || [ -n "${INSTALL_TESTS:-}" ]; then
    install_logs=$(mktemp)
    INSTALL_TEST_LOGS="$install_logs" TEST_LOG_DIR="$logdir" bash "$here/install_test.sh" ||
        install_rc=$?
    mapfile -t more_logs <"$install_logs"
    rm -f "$install_logs"
    logs+=("${more_logs[@]}")
fi

"$ODOO_VENV/bin/python" "$here/test_summary.py" "${logs[@]}" || status=1
[ "$odoo_rc" -eq 0 ] || { echo "[test] Odoo exited with $odoo_rc (see $log)"; status=1; }
[ "$queue_rc" -eq 0 ] || { echo "[test] Odoo exited with $queue_rc (see $qlog)"; status=1; }
[ "$install_rc" -eq 0 ] || { echo "[test] the installation checks failed (dev/install_test.sh)"; status=1; }
exit $status
