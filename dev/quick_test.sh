#!/usr/bin/env bash
# Run some tests fast, for a developer at work: a database copied from a template
# that has the addons installed (made once, without demo data), the addons
# updated to the code of the work tree, then only the tests of TAGS.
#
#   bash dev/quick_test.sh NAME [TAGS]
#     NAME  a short name of your own: the database is account_dunning_quick_NAME
#     TAGS  Odoo test tags, e.g. /account_dunning:TestDunningCharges or
#           /account_dunning:TestDunningCharges.test_waive (default: every test)
#
# The whole suite stays `make test`; this one only saves minutes between edits.
# QUICK_REBUILD=1 makes the template again (after a change to the data files
# that an update does not carry, or to start over).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/env.sh"
name=${1:?usage: dev/quick_test.sh NAME [TAGS]}
tags=${2:-$DUNNING_TEST_TAGS}
template=account_dunning_quick_template
db=account_dunning_quick_$name
logdir=${TEST_LOG_DIR:-$REPO/.logs}
mkdir -p "$logdir"
log="$logdir/quick-$name-$(date +%H%M%S).log"

template_lock=/tmp/account_dunning_quick_template.lock
(
    flock 9
    if [ -n "${QUICK_REBUILD:-}" ]; then dropdb --if-exists "$template" >/dev/null 2>&1; fi
    if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$template'" | grep -q 1; then
        echo "[quick] building the template database $template (a few minutes, once)"
        # shellcheck disable=SC2086
        $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$template" -i "$DUNNING_ADDONS,$DUNNING_TEST_ADDONS" \
            --without-demo=all --stop-after-init --log-level=warn --max-cron-threads=0 \
            >"$logdir/quick-template.log" 2>&1 || { echo "[quick] template failed: $logdir/quick-template.log"; exit 1; }
    fi
    dropdb --if-exists "$db" >/dev/null 2>&1
    createdb -T "$template" "$db"
    # the stored files too (pictures of payment methods, assets): a copy of
    # the database alone answers 500 for them
    filestore=${XDG_DATA_HOME:-$HOME/.local/share}/Odoo/filestore
    rm -rf "${filestore:?}/$db"
    if [ -d "$filestore/$template" ]; then cp -a "$filestore/$template" "$filestore/$db"; fi
) 9>"$template_lock" || exit 1

echo "[quick] $db: updating the addons and running $tags (log: $log)"
port=$((8300 + $(printf '%s' "$name" | cksum | cut -d' ' -f1) % 600))
# shellcheck disable=SC2086
$ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" -u "$DUNNING_ADDONS" --test-enable \
    --test-tags "$tags" --stop-after-init --http-port="$port" --log-level=test \
    --max-cron-threads=0 --without-demo=all >"$log" 2>&1
rc=$?
grep -E "^(FAIL|ERROR):|odoo\.tests\.result|Traceback" "$log" | head -40
"$ODOO_VENV/bin/python" "$here/test_summary.py" "$log"
summary=$?
dropdb --if-exists "$db" >/dev/null 2>&1
rm -rf "${XDG_DATA_HOME:-$HOME/.local/share}/Odoo/filestore/$db"
[ "$rc" -eq 0 ] && [ "$summary" -eq 0 ]
