#!/usr/bin/env bash
# Export the module's terms to i18n/account_dunning.pot and merge them into
# i18n/fr.po, listing the terms still to translate.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
source "$here/env.sh"
db="account_dunning_i18n_$$"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC2086
$ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" -i account_dunning --without-demo=all \
    --stop-after-init --log-level=warn
# shellcheck disable=SC2086
$ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" --modules=account_dunning \
    --i18n-export="$REPO/i18n/account_dunning.pot" --stop-after-init --log-level=warn
"$ODOO_VENV/bin/python" "$here/i18n.py" "$REPO/i18n/account_dunning.pot" "$REPO/i18n/fr.po"
