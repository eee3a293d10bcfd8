#!/usr/bin/env bash
# Export the terms of the addon and its bridges to their i18n/<addon>.pot and merge them into
# i18n/fr.po, listing the terms still to translate.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
source "$here/env.sh"
db="account_dunning_i18n_$$"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
# with OCA's queue_job, the job queue bridge installs on its own: its terms too
# shellcheck disable=SC2086
$ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" -i "$DUNNING_ADDONS,$DUNNING_QUEUE_INSTALL" \
    --without-demo=all --stop-after-init --log-level=warn
status=0
for addon in ${DUNNING_ADDONS//,/ } account_dunning_queue; do
    # the addon's own folder: the repository root, or a bridge's folder in it
    dir=$REPO
    [ "$addon" = account_dunning ] || dir=$REPO/$addon
    mkdir -p "$dir/i18n"
    # shellcheck disable=SC2086
    $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" --modules="$addon" \
        --i18n-export="$dir/i18n/$addon.pot" --stop-after-init --log-level=warn
    echo "[i18n] $addon"
    "$ODOO_VENV/bin/python" "$here/i18n.py" "$dir/i18n/$addon.pot" "$dir/i18n/fr.po" || status=1
done
exit $status
