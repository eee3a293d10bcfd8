#!/usr/bin/env bash
# The demo: a French company in euros (Odoo's French localisation and chart
# of accounts), French and English loaded, the admin in French, Odoo's demo
# data and the module's; then Odoo on http://127.0.0.1:8069 (login admin /
# admin). Recreates the database. DEMO_DB and DEMO_PORT choose another
# database and port. About seven minutes on two cores.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/setup.sh"
source "$here/env.sh"
db=${DEMO_DB:-account_dunning_demo}
port=${DEMO_PORT:-8069}
url="http://127.0.0.1:$port"

say() { printf '[demo] %s\n' "$*"; }
odoo() {
    # shellcheck disable=SC2086
    $ODOO_BIN "$@" --addons-path="$ADDONS_PATH" -d "$db" --log-level=warn
}
install() { odoo -i "$1" --stop-after-init --max-cron-threads=0 --no-http; }
sql() { psql -d "$db" -tAc "$1"; }

say "recreating database $db"
dropdb --if-exists "$db"
say "1/5 Odoo with its demo data"
install base
say "2/5 French beside English; the company becomes French (Paris, euros); the admin speaks French"
DEMO_STEP=company DEMO_URL=$url odoo shell --no-http <"$here/demo_setup.py" | { grep '^\[demo\]' || true; }
say "3/5 accounting with Odoo's French localisation and chart of accounts"
install account,l10n_fr_account
say "4/5 account_dunning, its SMS, sales and customer page bridges (with Odoo's Sales app and demo \
payment provider), and their demo data"
install "$DUNNING_ADDONS,sale_management,payment_demo"
DEMO_STEP=server DEMO_URL=$url odoo shell --no-http <"$here/demo_setup.py" | { grep '^\[demo\]' || true; }

say "5/5 Odoo on $url"
# (wkhtmltopdf's warnings about Debian's build are left out of the console)
odoo --db-filter="^$db\$" --http-interface=127.0.0.1 --http-port="$port" \
    --log-handler=odoo.addons.base.models.ir_actions_report:ERROR &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
until curl -fso /dev/null "$url/web/login"; do
    kill -0 "$server" 2>/dev/null || { say "Odoo stopped"; exit 1; }
    sleep 1
done
# The demo data scheduled the reminders of the past weeks, then the daily
# job's first run: they need the web server (the PDFs take their styles from
# it). Wake the scheduler up now rather than within a minute.
say "the reminders of the past weeks, then the daily job's first run (under a minute)"
psql -d postgres -qc "NOTIFY cron_trigger, '$db'"
company=$(sql "SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'main_company'")
ran=""
for _ in $(seq 300); do
    ran=$(sql "SELECT 1 FROM res_company WHERE id = $company AND dunning_last_run_date IS NOT NULL")
    [ -n "$ran" ] && break
    kill -0 "$server" 2>/dev/null || { say "Odoo stopped"; exit 1; }
    sleep 1
done
if [ -n "$ran" ]; then
    say "daily job: $(sql "SELECT dunning_last_run_summary FROM res_company WHERE id = $company")"
    say "history: $(sql "SELECT count(*) FROM account_dunning") reminders, \
$(sql "SELECT count(*) FROM account_dunning WHERE letter_state = 'to_post'") letters to post"
else
    say "the daily job has not run after 5 minutes: see the server's messages above"
fi
# then the customer page's demo: a reminder that its customer opened and answered
page=""
for _ in $(seq 180); do
    page=$(sql "SELECT '/my/reminders/' || id || '?access_token=' || access_token FROM account_dunning \
WHERE portal_last_seen IS NOT NULL ORDER BY id LIMIT 1")
    [ -n "$page" ] && break
    kill -0 "$server" 2>/dev/null || { say "Odoo stopped"; exit 1; }
    sleep 1
done
if [ -n "$page" ]; then
    say "a customer's page, without login: $url$page"
else
    say "the customer page's demo is not made yet: see the server's messages above"
fi
# then the legal road's demo: a customer in litigation with its legal file,
# one handed to a collection agency
legal=""
for _ in $(seq 180); do
    legal=$(sql "SELECT count(*) FROM account_dunning_litigation WHERE legal_file_id IS NOT NULL")
    [ "${legal:-0}" -gt 0 ] && break
    kill -0 "$server" 2>/dev/null || { say "Odoo stopped"; exit 1; }
    sleep 1
done
if [ "${legal:-0}" -gt 0 ]; then
    say "in litigation, each with its legal file: \
$(sql "SELECT string_agg(p.name, ', ' ORDER BY p.name) FROM account_dunning_litigation l \
JOIN res_partner p ON p.id = l.partner_id WHERE l.state = 'open'")"
else
    say "the legal road's demo is not made yet: see the server's messages above"
fi
say "ready: $url  login admin / admin (in French; English: avatar > My Preferences, \
or log in as demo / demo)  Ctrl-C stops Odoo"
wait "$server"
