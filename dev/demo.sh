#!/usr/bin/env bash
# A database with Odoo's demo data and the module's, then Odoo on
# http://127.0.0.1:8069 (login admin / admin). Recreates the database.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
source "$here/env.sh"
db=${DEMO_DB:-account_dunning_demo}
port=${DEMO_PORT:-8069}
dropdb --if-exists "$db"
echo "[demo] creating database $db with demo data (about a minute)"
# shellcheck disable=SC2086
$ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" -i account_dunning \
    --stop-after-init --max-cron-threads=0 --log-level=warn
echo "[demo] Odoo on http://127.0.0.1:$port  login: admin  password: admin  (Ctrl-C stops it)"
# shellcheck disable=SC2086
exec $ODOO_BIN --addons-path="$ADDONS_PATH" -d "$db" --db-filter="^$db\$" \
    --http-interface=127.0.0.1 --http-port="$port" --log-level=warn
