# Runs inside `odoo-bin shell` (see dev/bench.sh), where `env` is given, in
# a database with account_dunning_portal installed and no demo data.
# The customer page of a reminder: one customer with BENCH_PORTAL_INVOICES
# (200) open invoices, most of them late, one promised, one disputed, and a
# reminder sent by email, its level showing the late-payment charges; then
# the page is asked for as the customer's browser does (GET with the
# reminder's token, through Odoo's WSGI application in this process): once
# cold, then BENCH_PORTAL_RUNS (5) times warm. Appends two JSON lines to
# BENCH_RESULTS: the first GET and the warm median, with their SQL queries
# and the rows shown.
# ruff: noqa: F821
import json
import os
import re
import resource
import statistics
import threading
import time
from datetime import timedelta

from werkzeug.test import Client

import odoo.http
from odoo import Command, fields

COUNT = int(os.environ.get("BENCH_PORTAL_INVOICES") or 200)
RUNS = int(os.environ.get("BENCH_PORTAL_RUNS") or 5)
RESULTS = os.environ["BENCH_RESULTS"]


def log(message):
    print(f"[bench portal] {message}", flush=True)


def rss_mb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def generate():
    """The customer, its invoices (one in ten not due yet, the others 1 to
    180 days late), a promise, a dispute and the reminder, committed: the
    page is read by requests of their own."""
    company = env.company
    today = fields.Date.context_today(env.user)
    company.dunning_default_plan_id.level_ids.write(
        {
            "send_letter": False,
            "attach_letter": False,
            "attach_invoices": False,
            "show_charges": True,
        }
    )
    customer = env["res.partner"].create(
        {
            "name": "Page Customer SARL",
            "is_company": True,
            "email": "accounts@page-customer.example.com",
            "street": "1 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "country_id": env.ref("base.fr").id,
        }
    )
    moves = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=30 + n % 180),
                "invoice_date_due": today + timedelta(days=5)
                if n % 10 == 0
                else today - timedelta(days=1 + n % 180),
                "ref": f"PO {n:04d}",
                "invoice_line_ids": [
                    Command.create({"name": "Services", "quantity": 1, "price_unit": 100 + 7 * n})
                ],
            }
            for n in range(COUNT)
        ]
    )
    moves.action_post()
    late = moves.filtered(lambda move: move.invoice_date_due < today)
    env["account.dunning.promise"].create(
        {
            "partner_id": customer.id,
            "company_id": company.id,
            "move_ids": [Command.set(late[:1].ids)],
            "date": today + timedelta(days=10),
            "amount": late[0].amount_residual,
        }
    )
    env["account.dunning.dispute"].create(
        {"move_id": late[1].id, "reason": "quantity", "note": "Two delivered, three invoiced."}
    )
    Engine = env["account.dunning.engine"]
    reminders = Engine._create_reminders(Engine._prepare_proposals(moves))
    env.cr.commit()
    log(f"{len(moves)} open invoices ({len(late)} late), reminder {reminders.name}")
    return reminders


def measure(reminder):
    client = Client(odoo.http.root)
    url = f"/my/reminders/{reminder.id}?access_token={reminder.access_token}"
    thread = threading.current_thread()

    def get():
        start = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - start
        body = response.get_data(as_text=True)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}")
        return seconds, thread.query_count, body

    cold, cold_queries, _body = get()
    runs = [get() for _run in range(RUNS)]
    seconds = statistics.median(run[0] for run in runs)
    queries = statistics.median(run[1] for run in runs)
    rows = len(re.findall(r"<tr[^>]*o_dunning_portal_row", runs[-1][2]))
    row = {
        "scale": "-",
        "customers": 1,
        "invoices": COUNT,
        "step": f"customer page: GET, warm (median of {RUNS})",
        "seconds": seconds,
        "queries": int(queries),
        "rows": rows,
        "rss_before_mb": RSS_BEFORE,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cold_seconds": cold,
        "cold_queries": cold_queries,
        "runs": [round(run[0], 3) for run in runs],
        "kb": round(len(runs[-1][2].encode()) / 1024),
    }
    # the first GET of this process: its templates compiled on the way
    first = dict(row, step="customer page: first GET", seconds=cold, queries=cold_queries)
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write(json.dumps(first) + "\n")
        out.write(json.dumps(row) + "\n")
    log(json.dumps(row))
    if rows != COUNT:
        log(f"the page shows {rows} invoices instead of {COUNT}")


RSS_BEFORE = rss_mb()
measure(generate())
