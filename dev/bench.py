# Runs inside `odoo-bin shell` (see dev/bench.sh), where `env` is given.
# BENCH_STEP: generate (the book, with its reminder history) | make_history
# (a reminder history for a book of an older run without one) | mix (what
# the book holds) | workbench | customers | history | behaviour | job |
# job_plain | accounting; BENCH_SCALE: 1 = 2,000 customers and 20,000 invoices (the
# books above 1 are copies of it: dev/bench_scale.py). Each measuring step
# appends one JSON line to BENCH_RESULTS with this process's memory before
# the step (Odoo loaded) and its peak during the step. accounting (in a
# database with `account` alone or with account_dunning too) posts and pays
# BENCH_INVOICES customer invoices one by one.
# ruff: noqa: F821
import json
import os
import random
import resource
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields

STEP = os.environ["BENCH_STEP"]
SCALE = float(os.environ.get("BENCH_SCALE") or 1)
CUSTOMERS = int(2000 * SCALE)
INVOICES_PER_CUSTOMER = 10
RESULTS = os.environ["BENCH_RESULTS"]
BATCH = 1000


def log(message):
    print(f"[bench {SCALE}] {message}", flush=True)


def generate():
    """2,000 customers and 20,000 open invoices (at scale 1) spread over
    three plans, every level, two currencies and partial payments."""
    random.seed(2026)
    company = env.company
    today = fields.Date.context_today(env.user)
    eur = env.ref("base.EUR")
    eur.active = True
    env["res.currency.rate"].create(
        {"currency_id": eur.id, "rate": 0.9, "name": today - timedelta(days=400)}
    )
    levels = [
        Command.create(
            {
                "name": name,
                "days": days,
                "send_email": True,
                "send_letter": True,
                "auto_send": True,
                "attach_invoices": False,
            }
        )
        for name, days in (
            ("Pre-reminder", -5),
            ("First reminder", 10),
            ("Second reminder", 30),
            ("Third", 60),
        )
    ]
    env["account.dunning.plan"].create(
        [
            {"name": "Companies", "partner_type": "company", "level_ids": levels},
            {"name": "Individuals", "partner_type": "individual", "level_ids": levels[1:]},
        ]
    )
    company.dunning_default_plan_id.level_ids.write(
        {"auto_send": True, "send_letter": True, "attach_invoices": False}
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Customer {n:05d}",
                "is_company": n % 3 != 0,
                "email": f"c{n}@bench.example.com",
                "street": f"{n} rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "country_id": env.ref("base.fr").id,
            }
            for n in range(CUSTOMERS)
        ]
    )
    partners.with_company(company).write({"dunning_mode": "automatic"})
    env.cr.commit()
    log(f"{len(partners)} customers")
    vals = []
    for partner in partners:
        for k in range(INVOICES_PER_CUSTOMER):
            due = today - timedelta(days=random.randint(-10, 90))
            vals.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "currency_id": (
                        eur if k % 4 == 3 and partner.id % 10 == 0 else company.currency_id
                    ).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Services",
                                "quantity": 1,
                                "price_unit": random.randint(50, 5000),
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
    moves = env["account.move"]
    for start in range(0, len(vals), BATCH):
        batch = env["account.move"].create(vals[start : start + BATCH])
        batch.action_post()
        moves |= batch
        env.cr.commit()
        env.invalidate_all()
        log(f"{len(moves)} invoices posted")
    partial = moves.filtered(lambda m: m.id % 20 == 0)  # 5%: partly paid
    pay_partly(partial, today)
    log(f"{len(partial)} invoices partly paid")
    make_history()


def pay_partly(invoices, day):
    """A payment of a quarter, a half or three quarters of each invoice of
    ``invoices``, in its currency, reconciled with it: the invoices stay
    open with less to pay. (Odoo's payment wizard, given several invoices
    to pay one by one, pays each in full whatever the amount: payments are
    made and matched here, in batches.)"""
    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    for start in range(0, len(invoices), 500):
        chunk = invoices[start : start + 500]
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": move.commercial_partner_id.id,
                    "amount": move.currency_id.round(
                        move.amount_residual * random.choice((0.25, 0.5, 0.75))
                    ),
                    "currency_id": move.currency_id.id,
                    "journal_id": journal.id,
                    "date": day,
                    "memo": move.name,
                }
                for move in chunk
            ]
        )
        payments.action_post()
        for move, payment in zip(chunk, payments, strict=True):
            (move.line_ids | payment.move_id.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            ).reconcile()
        env.cr.commit()
        env.invalidate_all()


# Reminder history: every fourth customer was reminded (by email, no PDF)
# this many days ago, as the daily job would have then
HISTORY_DAYS = (45, 20)


def make_history():
    """The book's reminder history: the reminders the engine makes for every
    fourth customer on each day of HISTORY_DAYS (the clock set back by
    freezegun), by email only, so that levels were reached and customers
    have reminders to look back on."""
    from freezegun import freeze_time

    today = fields.Date.context_today(env.user)
    Dunning = env["account.dunning"]
    customers = env["res.partner"].search(
        [("name", "=like", "Customer %"), ("parent_id", "=", False)], order="id"
    )
    sample = customers[::4]
    channels = {
        "send_email": True,
        "send_letter": False,
        "send_sms": False,
        "create_activity": False,
    }
    # plain emails: no letter PDF attached (the levels are set back after)
    levels = env["account.dunning.level"].with_context(active_test=False).search([])
    attachments = ("attach_letter", "attach_invoices", "attach_statement")
    saved = {level: level.read(attachments)[0] for level in levels}
    levels.write(dict.fromkeys(attachments, False))
    for days in HISTORY_DAYS:
        with freeze_time(f"{today - timedelta(days=days)} 12:00:00"):
            env.invalidate_all()
            moves = env["account.move"].search(
                env["account.move"]._get_dunning_open_domain()
                + [("commercial_partner_id", "in", sample.ids)]
            )
            proposals = Dunning._prepare_proposals(moves, channels=channels)
            for start in range(0, len(proposals), 200):
                Dunning._create_reminders(proposals[start : start + 200])
                env.cr.commit()
                env.invalidate_all()
        log(f"{len(proposals)} reminders {days} days ago")
    for level, values in saved.items():
        level.write({name: values[name] for name in attachments})
    env.cr.commit()


def mix():
    """What the book holds: its customer invoices per payment state, per
    currency and per reminder level reached, printed with the results."""
    # levels named with their plan: "First reminder" is in two plans
    Move = env["account.move"].with_context(dunning_level_show_plan=True)
    domain = [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
    row = {"step": "mix", "scale": SCALE}
    for name, group in (
        ("payment_state", "payment_state"),
        ("currency", "currency_id"),
        ("level", "dunning_level_id"),
    ):
        row[name] = {
            (value.display_name if hasattr(value, "display_name") else value) or "none": count
            for value, count in Move._read_group(domain, [group], ["__count"])
        }
    row["reminders"] = {
        state or "none": count
        for state, count in env["account.dunning"]._read_group([], ["state"], ["__count"])
    }
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
    log(json.dumps(row))


class Counter:
    """Counts SQL queries and wkhtmltopdf runs around a block."""

    def __enter__(self):
        self.runs = 0
        report_class = type(env["ir.actions.report"])
        counter = self

        def counted(name):
            original = getattr(report_class, name)

            def counting(report, *args, **kwargs):
                counter.runs += 1
                return original(report, *args, **kwargs)

            return patch.object(report_class, name, counting)

        # Odoo's own runs (one per invoice PDF) and the batched letter runs,
        # the latter only where account_dunning is installed
        self.patches = [
            counted(name)
            for name in ("_run_wkhtmltopdf", "_dunning_spawn_wkhtmltopdf")
            if hasattr(report_class, name)
        ]
        for one in self.patches:
            one.start()
        self.queries = env.cr.sql_log_count
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.queries = env.cr.sql_log_count - self.queries
        for one in self.patches:
            one.stop()


def rss_mb():
    """This process's resident memory now, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


RSS_BEFORE = rss_mb()


def record(step, counter, **extra):
    row = {
        "scale": SCALE,
        "customers": CUSTOMERS,
        "invoices": CUSTOMERS * INVOICES_PER_CUSTOMER,
        "step": step,
        "seconds": counter.seconds,
        "queries": counter.queries,
        "wkhtmltopdf": counter.runs,
        "rss_before_mb": RSS_BEFORE,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **extra,
    }
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
    log(json.dumps(row))


def workbench():
    """(a) Open the workbench on every open invoice, as the client does
    (the form and its first page of rows), select all and prepare."""
    Wizard = env["account.dunning.wizard"]
    spec = {
        "state": {},
        "line_count": {},
        "selected_count": {},
        "line_ids": {
            "limit": 200,
            "fields": {
                name: {}
                for name in (
                    "selected",
                    "move_id",
                    "ref",
                    "invoice_date",
                    "date_due",
                    "days_overdue",
                    "amount_residual",
                    "currency_id",
                    "level_id",
                    "last_date",
                    "advised_level_id",
                    "to_remind",
                    "refusal",
                )
            },
        },
    }
    env.invalidate_all()
    with Counter() as counter:
        wizard = Wizard.create({"include_not_due": True})
        wizard.action_search()
        wizard.web_read(spec)
        wizard.action_select_all()
        wizard.action_prepare()
        wizard.web_read(
            {
                "proposal_ids": {
                    "limit": 200,
                    "fields": {"partner_id": {}, "level_id": {}, "amount_due": {}},
                }
            }
        )
    record(
        "workbench: open + prepare",
        counter,
        reminders=len(wizard.proposal_ids),
        lines=wizard.line_count,
    )
    env.cr.rollback()


def job(letters=True):
    """(b) One run of the daily job: every level by email with the letter
    PDF attached and a letter for the post, or (``letters`` False) plain
    emails without any PDF."""
    if not letters:
        env["account.dunning.level"].search([]).write(
            {"send_letter": False, "attach_letter": False, "attach_invoices": False}
        )
        env.cr.commit()
    env.invalidate_all()
    with Counter() as counter:
        env["account.dunning"]._cron_process_reminders()
    sent = env["account.dunning"].search_count([("state", "=", "sent")])
    failed = env["account.dunning"].search_count([("state", "=", "failed")])
    letters_made = env["account.dunning"].search_count([("letter_attachment_id", "!=", False)])
    label = "daily job: emails + letter PDFs" if letters else "daily job: emails, no PDF"
    record(label, counter, reminders=sent, letters=letters_made, failed=failed)
    if failed:
        log(f"{failed} reminders failed")
    env.cr.commit()


def customers():
    """(d) Open Customer Accounts as the client does: the first page of
    rows with the list's columns, their count and the summary above them;
    then the "incomplete reminder address" filter, and the rows grouped by
    reminder responsible."""
    Customer = env["account.dunning.customer"]
    many2one = {"fields": {"display_name": {}}}
    spec = {
        name: (many2one if Customer._fields[name].type == "many2one" else {})
        for name in (
            "partner_id",
            "company_id",
            "responsible_id",
            "invoiced_count",
            "invoiced_amount",
            "unpaid_count",
            "amount_due",
            "amount_due_by_currency",
            "overdue_count",
            "amount_overdue",
            "amount_not_due",
            "amount_1_30",
            "amount_31_60",
            "amount_61_90",
            "amount_over_90",
            "dso",
            "last_dunning_date",
            "last_level_id",
            "last_channel",
            "next_dunning_date",
            "activity_count",
            "address_ok",
            "address_issue",
            "blocked",
            "currency_id",
        )
    }
    Customer = Customer.with_context(dunning_period="this_year")
    env.invalidate_all()
    with Counter() as counter:
        page = Customer.web_search_read([], spec, limit=80, count_limit=100001)
        Customer.get_dunning_summary([])
    record("customer accounts: open", counter, rows=page["length"])
    env.invalidate_all()
    with Counter() as counter:
        page = Customer.web_search_read([("address_ok", "=", False)], spec, limit=80)
    record("customer accounts: red addresses", counter, rows=page["length"])
    env.invalidate_all()
    with Counter() as counter:
        Customer.web_read_group(
            [], ["amount_due:sum", "amount_overdue:sum"], ["responsible_id"], lazy=True
        )
    record("customer accounts: by responsible", counter)


def view_spec(model, view_type, xpath):
    """The web client's specification of the fields of ``model``'s default
    ``view_type`` view that ``xpath`` selects: many2one fields with their
    display name."""
    from lxml import etree

    arch = model.get_views([(False, view_type)])["views"][view_type]["arch"]
    # the model's own fields: not those of a one2many's list inside the view
    names = dict.fromkeys(
        node.get("name")
        for node in etree.fromstring(arch).xpath(xpath)
        if not node.xpath("ancestor::field")
    )
    return {
        name: {"fields": {"display_name": {}}} if model._fields[name].type == "many2one" else {}
        for name in names
    }


def history():
    """(e) The Reminder History as the client opens it (the first page of
    rows with the list's columns, and their count); then one customer's page
    of it, the customer with the most reminders: the list filtered on the
    customer (the Reminders button of the contact) and the contact's
    Payment Reminders tab."""
    Dunning = env["account.dunning"]
    list_spec = view_spec(Dunning, "list", "/list/field")
    tab_spec = view_spec(
        env["res.partner"],
        "form",
        "//page[@name='dunning']//field | //button[@name='action_view_dunnings']//field",
    )
    groups = Dunning._read_group([], ["partner_id"], ["__count"])
    if not groups:
        log("no reminder history in this book")
        return
    # alone, as the client reads it (not prefetched with the other customers)
    partner = env["res.partner"].browse(max(groups, key=lambda group: group[1])[0].id)
    env.invalidate_all()
    with Counter() as counter:
        page = Dunning.web_search_read([], list_spec, limit=80, count_limit=10001)
    record("reminder history: open", counter, rows=page["length"])
    env.invalidate_all()
    with Counter() as counter:
        action = partner.action_view_dunnings()
        page = Dunning.web_search_read(action["domain"], list_spec, limit=80, count_limit=10001)
        partner.web_read(tab_spec)
    record("reminder history: one customer", counter, rows=page["length"])


def make_payment_history():
    """A year of payments for the book, whose invoices are all open: every
    second invoice paid in full, in SQL (the ORM pays about 1,000 a minute),
    on its due date plus 10 days early to 50 days late, never after
    yesterday. Its receivable line is reconciled (a partial reconciliation
    with another line of the invoice, dated on the payment day) and the
    invoice marked paid: what the payment behaviour reads. Only for the
    measured copy of the book. Returns how many invoices were paid."""
    today = fields.Date.context_today(env.user)
    cr = env.cr
    env.flush_all()
    cr.execute(
        """
        CREATE TEMP TABLE bench_paid ON COMMIT DROP AS
        SELECT line.id AS line_id, line.move_id, line.company_id, line.balance,
               line.amount_currency, line.currency_id,
               LEAST(line.date_maturity + (line.id %% 61) - 10, %s::date - 1) AS date_paid,
               (SELECT MIN(other.id) FROM account_move_line other
                 WHERE other.move_id = line.move_id AND other.id != line.id) AS other_id
          FROM account_move_line line
          JOIN account_account account ON account.id = line.account_id
          JOIN account_move move ON move.id = line.move_id
         WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
           AND move.id %% 2 = 0
           AND account.account_type = 'asset_receivable'
           AND NOT line.reconciled
        """,
        [today],
    )
    cr.execute(
        """
        INSERT INTO account_partial_reconcile
               (debit_move_id, credit_move_id, company_id, amount, debit_amount_currency,
                credit_amount_currency, debit_currency_id, credit_currency_id, max_date)
        SELECT line_id, other_id, company_id, balance, amount_currency, amount_currency,
               currency_id, currency_id, date_paid
          FROM bench_paid
        """
    )
    cr.execute(
        "UPDATE account_move_line line SET reconciled = TRUE, amount_residual = 0, "
        "amount_residual_currency = 0 FROM bench_paid WHERE line.id = bench_paid.line_id"
    )
    cr.execute(
        "UPDATE account_move move SET payment_state = 'paid', amount_residual = 0, "
        "amount_residual_signed = 0, dunning_date_due = NULL "
        "WHERE move.id IN (SELECT move_id FROM bench_paid)"
    )
    cr.execute("SELECT COUNT(DISTINCT move_id) FROM bench_paid")
    paid = cr.fetchone()[0]
    env.cr.commit()
    env.invalidate_all()
    return paid


def behaviour():
    """(f) The customers' payment behaviour, grades and priorities of each
    company (``res.partner._dunning_refresh_payment_behaviour``, what the
    daily job does first) on the book given a year of payments
    (``make_payment_history``): the first refresh, which writes every
    customer and invoice, then the one of the next day, which writes only
    what changed. Then the worklist's first page sorted by priority and
    the expected cash's graph."""
    paid = make_payment_history()
    log(f"{paid} invoices paid for the payment history")
    Partner = env["res.partner"]
    companies = env["res.company"].search([])  # pylint: disable=no-search-all
    for label in ("payment behaviour: refresh", "payment behaviour: refresh again"):
        for company in companies:
            env.invalidate_all()
            with Counter() as counter:
                result = Partner.with_company(company)._dunning_refresh_payment_behaviour()
            if result["invoices"]:
                record(label, counter, rows=result["customers"], paid=paid, open=result["invoices"])
            env.cr.commit()
    Move = env["account.move"]
    spec = {name: {} for name in ("name", "dunning_priority", "dunning_priority_reasons")}
    spec.update(
        {
            "dunning_grade": {},
            "dunning_predicted_date": {},
            "commercial_partner_id": {"fields": {"display_name": {}}},
        }
    )
    env.invalidate_all()
    with Counter() as counter:
        page = Move.web_search_read(
            Move._get_dunning_open_domain(),
            spec,
            order="dunning_priority desc, id",
            limit=80,
            count_limit=100001,
        )
    record("worklist by priority", counter, rows=page["length"])
    env.invalidate_all()
    with Counter() as counter:
        env["account.dunning.cash.forecast"].read_group(
            [], ["amount:sum"], ["week_start:day", "basis"], lazy=False
        )
    record("expected cash: graph", counter)


def accounting():
    """(c) What the module costs to everyday accounting: BENCH_INVOICES
    customer invoices created, posted, then paid through the payment wizard,
    each one on its own, as a user would, with the cache emptied between
    two of them as between two requests. Run in a database with `account`
    alone and in one with account_dunning too, it gives the module's extra
    queries per invoice posted and per payment registered."""
    count = int(os.environ.get("BENCH_INVOICES") or 300)
    random.seed(2026)
    today = fields.Date.context_today(env.user)
    customers = env["res.partner"].create(
        [
            {"name": f"Customer {n:03d}", "is_company": n % 3 != 0, "email": f"c{n}@example.com"}
            for n in range(30)
        ]
    )
    # one invoice in three in two installments (30% now, the rest in 60 days)
    term = env.ref("account.account_payment_term_advance_60days")
    vals = []
    for n in range(count):
        invoice_date = today - timedelta(days=random.randint(0, 60))
        vals.append(
            {
                "move_type": "out_invoice",
                "partner_id": customers[n % len(customers)].id,
                "invoice_date": invoice_date,
                "invoice_payment_term_id": term.id if n % 3 == 0 else False,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Services", "quantity": 1, "price_unit": random.randint(50, 5000)}
                    )
                ],
            }
        )
        if n % 3:
            vals[-1]["invoice_date_due"] = invoice_date + timedelta(days=30)
    env.cr.commit()

    def one_by_one(records, action):
        """Counter around ``action`` run on each record in turn, flushed
        (the stored computes run there), with an empty cache before each."""
        seconds = queries = 0
        for one in records:
            env.invalidate_all()
            with Counter() as counter:
                action(one)
                env.flush_all()
            seconds += counter.seconds
            queries += counter.queries
        env.cr.commit()
        return seconds, queries

    Move = env["account.move"]
    create_seconds, create_queries = one_by_one(vals, lambda one: Move.create(one))
    invoices = Move.search([("move_type", "=", "out_invoice")], order="id")
    post_seconds, post_queries = one_by_one(invoices, lambda invoice: invoice.action_post())
    # the module's own check: every posted invoice is open for reminders
    dunning = "dunning_date_due" in Move._fields
    open_domain = [("id", "in", invoices.ids), ("dunning_date_due", "!=", False)]
    open_after_post = Move.search_count(open_domain) if dunning else None
    payments_before = env["account.payment"].search_count([])
    pay_seconds, pay_queries = one_by_one(
        invoices,
        lambda invoice: env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({})
        ._create_payments(),
    )
    # the wizard pays an invoice in two installments its first one only
    paid = Move.search_count(
        [("id", "in", invoices.ids), ("payment_state", "in", ("paid", "in_payment"))]
    )
    open_after_pay = Move.search_count(open_domain) if dunning else None
    row = {
        "step": "accounting",
        "modules": "account + account_dunning" if dunning else "account",
        "invoices": len(invoices),
        "payments": env["account.payment"].search_count([]) - payments_before,
        "paid": paid,
        "open_after_post": open_after_post,
        "open_after_pay": open_after_pay,
        "create_queries": create_queries,
        "create_seconds": create_seconds,
        "post_queries": post_queries,
        "post_seconds": post_seconds,
        "pay_queries": pay_queries,
        "pay_seconds": pay_seconds,
    }
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
    log(json.dumps(row))


{
    "accounting": accounting,
    "generate": generate,
    "workbench": workbench,
    "job": job,
    "job_plain": lambda: job(letters=False),
    "customers": customers,
    "history": history,
    "behaviour": behaviour,
    "mix": mix,
    "make_history": make_history,
}[STEP]()
env.cr.commit()
