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
# OCA's job queue (queue_job, from PyPI, dev/setup.sh) and the bridge that runs
# the daily job on it (account_dunning_queue): the bridge installs on its own
# when account_dunning and queue_job are, so it is tested in a database of its
# own (dev/test.sh), never in the one above, whose daily job runs without it.
# 18.0.3.1.2 is the last 18.0 release whose test helpers load on the Odoo 18.0
# sources of August 2025 (later ones import odoo.tests.common.SETATTR_SOURCES).
QUEUE_JOB_VERSION=${QUEUE_JOB_VERSION:-18.0.3.1.2}
DUNNING_QUEUE_INSTALL="account_dunning,queue_job"
# and, there too, that the bridges came on their own (tests/test_dunning_install.py)
DUNNING_QUEUE_TEST_TAGS="/account_dunning_queue,dunning_install"
# a copy of queue_job on the addons path, made by dev/setup.sh only where Odoo
# does not find the one installed in the virtualenv (site-packages/odoo/addons)
QUEUE_JOB_ADDONS_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/account_dunning/queue_job-$QUEUE_JOB_VERSION
if [ -f "$QUEUE_JOB_ADDONS_DIR/queue_job/__manifest__.py" ]; then
    ADDONS_PATH="$ADDONS_PATH,$QUEUE_JOB_ADDONS_DIR"
fi
ODOO_BIN="$ODOO_VENV/bin/python $ODOO_SRC/odoo-bin"
export PGHOST=${PGHOST:-}
