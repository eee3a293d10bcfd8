# Shared settings of the dev/ scripts (sourced, not run).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo-18.0}
ODOO_VENV=${ODOO_VENV:-$HOME/.venvs/odoo-18.0}
ODOO_ARCHIVE_URL=${ODOO_ARCHIVE_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
# Odoo finds addons by folder name: each clone gets its own folder that
# holds a link named account_dunning to the clone.
ADDONS_LINK_DIR=${ADDONS_LINK_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/account_dunning/addons-$(printf '%s' "$REPO" | sha1sum | cut -c1-10)}
# the repository root holds the bridge addons (account_dunning_sms) beside the
# addon's own folders: Odoo finds them there
ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ADDONS_LINK_DIR,$REPO"
# the addons the test and demo commands install and test
DUNNING_ADDONS="account_dunning,account_dunning_sms,account_dunning_sale,account_dunning_portal"
# what the tests need besides: the demo payment provider of the customer page
DUNNING_TEST_ADDONS="payment_demo"
DUNNING_TEST_TAGS="/account_dunning,/account_dunning_sms,/account_dunning_sale,/account_dunning_portal"
ODOO_BIN="$ODOO_VENV/bin/python $ODOO_SRC/odoo-bin"
export PGHOST=${PGHOST:-}
