# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Where each open invoice stands in its plan today: the advised level, the
next reminder date, why it may not be reminded and whether it is to remind,
computed set-based for thousands of invoices in a handful of queries; and
the writes of the invoice's own reminder fields."""

import uuid
from collections import defaultdict
from datetime import timedelta

from psycopg2.extensions import TRANSACTION_STATUS_INTRANS

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .account_move import _WORKBENCH_FILTERS
from .dunning_engine_owned import check_engine_fields
from .dunning_tools import sql_array

# invoices whose states the workbench holds at a time
STATE_BATCH_SIZE = 40000


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Advised level, next date, "to remind"
    # ------------------------------------------------------------------

    def init(self):
        result = super().init()
        # the last reminder date of each customer (``_get_dunning_rules``,
        # for every batch of the daily job and every workbench) read from
        # the invoices reminded only, not from a scan of every invoice:
        # Odoo does not index an invoice's commercial partner
        create_index(
            self.env.cr,
            "account_move_dunning_last_date_partner_index",
            self._table,
            ["commercial_partner_id", "company_id", "dunning_last_date"],
            where="dunning_last_date IS NOT NULL",
        )
        return result

    @api.model
    def _get_dunning_open_domain(self):
        """Invoices that reminders are about: posted customer invoices with
        an open installment, in the companies of the context."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("dunning_date_due", "!=", False),
            ("company_id", "in", self.env.companies.ids),
        ]

    @api.depends(
        "dunning_date_due",
        "dunning_plan_id.level_ids.days",
        "dunning_plan_id.one_level_at_a_time",
        "dunning_level_id",
        "dunning_blocked",
        "commercial_partner_id.dunning_blocked",
        "commercial_partner_id.dunning_litigation",
        # a dispute opened or resolved, a promise made, kept or broken
        "dunning_dispute_ids.state",
        "dunning_promise_ids.state",
        "dunning_promise_ids.date",
        # the residual through the lines, not amount_residual_signed: that one
        # also depends on the payments' state, and a relational field computed
        # from it (the advised level) makes Odoo search a payment's invoices
        # before each write on the payment (two queries per payment)
        "line_ids.amount_residual",
        "company_id.dunning_min_amount",
        "company_id.dunning_min_interval_days",
        "company_id.dunning_exclude_direct_debit",
        "preferred_payment_method_line_id.dunning_direct_debit",
    )
    @api.depends_context("date")
    def _compute_dunning_state(self):
        states = self.filtered("dunning_date_due")._origin._get_dunning_states()
        Engine = self.env["account.dunning.engine"]
        for move in self:
            state = states.get(move._origin.id) or {}
            move.dunning_advised_level_id = state.get("advised_level_id", False)
            move.dunning_next_date = state.get("next_date", False)
            move.dunning_to_remind = state.get("to_remind", False)
            move.dunning_refusal = state.get("refusal") and Engine._get_refusal_message(
                state["refusal"], state, short=True
            )

    def _get_dunning_states(self):
        """{invoice id: reminder state} of these invoices today (see
        ``_get_dunning_state``), in a handful of queries whatever their
        number."""
        ids = [move_id for move_id in self.ids if move_id]
        if not ids:
            return {}
        return self._get_dunning_states_where(SQL("move.id = ANY(%s::int4[])", sql_array(ids)))

    def _iter_dunning_states_by_customer(self, size=None, whole_customers=True):
        """(invoices, their states) for these invoices, in chunks of about
        ``size`` invoices that hold all the invoices of a customer in a
        company: the workbench prepares hundreds of thousands of invoices
        without holding all their states at once (a few hundred bytes
        each). One chunk, as ``_get_dunning_states``, up to ``size``
        (``STATE_BATCH_SIZE`` by default); above, the invoices' values are
        read by one query in the order of their customers, through a
        database cursor that hands them ``size`` at a time (the invoices'
        ids sent once, no query to group them first), and the invoices that
        are no longer open come last, without states, as
        ``_get_dunning_states`` leaves them out. Without
        ``whole_customers``, the rows come in the database's order (no sort)
        and a customer may span two chunks: enough for what each invoice's
        state says alone (to remind or not), not for grouping a customer's
        invoices. The caller does not commit while it reads the chunks (a
        commit closes the cursor)."""
        size = size or STATE_BATCH_SIZE
        ids = [move_id for move_id in self.ids if move_id]
        if len(ids) <= size:
            yield self, self._get_dunning_states()
            return
        query = self._get_dunning_states_query(
            SQL("move.id = ANY(%s::int4[])", sql_array(ids)),
            order=SQL("move.company_id, move.commercial_partner_id, move.id")
            if whole_customers
            else None,
        )
        cr = self.env.cr
        # a name of its own: the cursor lives until it is read to its end,
        # or until the transaction ends
        cursor = SQL.identifier(f"account_dunning_states_{uuid.uuid4().hex}")
        cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", cursor, query))
        try:
            held = []  # the rows of the last customer read: it may go on
            read = 0
            while True:
                cr.execute(SQL("FETCH FORWARD %s FROM %s", size, cursor))
                names = [column.name for column in cr.description]
                fetched = cr.fetchall()
                read += len(fetched)
                rows, held = held + fetched, []
                if whole_customers and len(fetched) == size:
                    # a customer's invoices stay in one chunk
                    company, partner = names.index("company_id"), names.index("partner_id")
                    customer = (rows[-1][company], rows[-1][partner])
                    cut = len(rows)
                    while cut and (rows[cut - 1][company], rows[cut - 1][partner]) == customer:
                        cut -= 1
                    if cut:
                        rows, held = rows[:cut], rows[cut:]
                    else:  # one customer so far: read on
                        rows, held = [], rows
                done = len(fetched) < size
                fetched = None
                if rows:
                    moves = self.browse([row[0] for row in rows])
                    states = self._get_dunning_states_of_rows(names, rows)  # consumes them
                    yield moves, states
                    states = None
                if done:
                    break
        finally:
            # not in a transaction that failed (the caller's error stands)
            if not cr.closed and cr._cnx.info.transaction_status == TRANSACTION_STATUS_INTRANS:
                cr.execute(SQL("CLOSE %s", cursor))
        if read < len(ids):
            # paid, cancelled or deleted since they were listed
            gone = self.env.execute_query(
                SQL(
                    "SELECT listed.id FROM unnest(%s::int4[]) AS listed(id) "
                    "LEFT JOIN account_move move ON move.id = listed.id "
                    "AND move.dunning_date_due IS NOT NULL WHERE move.id IS NULL",
                    sql_array(ids),
                )
            )
            if gone:
                yield self.browse([row[0] for row in gone]), {}

    def _get_dunning_to_remind_ids(self):
        """The ids of these invoices that are to remind now (their state's
        ``to_remind``), their states computed a chunk of invoices at a time,
        never all at once."""
        to_remind = []
        for _chunk, states in self._iter_dunning_states_by_customer(whole_customers=False):
            to_remind += [move_id for move_id, state in states.items() if state["to_remind"]]
            # not held while the next chunk's are made
            states = None
        return to_remind

    @api.model
    def _get_dunning_states_for_domain(self, domain):
        """{invoice id: reminder state} of the open invoices matching
        ``domain`` (with the user's access rules), in a handful of queries."""
        query = self._search(self._get_dunning_open_domain() + list(domain or []))
        return self._get_dunning_states_where(SQL("move.id IN %s", query.subselect()))

    @api.model
    def _get_dunning_states_where(self, condition):
        """The reminder state of the open invoices that meet the SQL
        ``condition`` on ``move``: their values in one query, the plans,
        companies and last reminder dates they need in one query each, then
        the rule of ``_get_dunning_state`` on plain values."""
        cr = self.env.cr
        cr.execute(self._get_dunning_states_query(condition))
        # rows as tuples (a fraction of the memory of dicts: the workbench
        # reads tens of thousands), each made a dict only while its state is
        return self._get_dunning_states_of_rows(
            [column.name for column in cr.description], cr.fetchall()
        )

    @api.model
    def _get_dunning_states_query(self, condition, order=None):
        """The query of the values the state of each open invoice meeting
        the SQL ``condition`` is computed from (``_get_dunning_state``), in
        the SQL ``order`` when given; what it reads is flushed."""
        self.flush_model(
            [
                "dunning_date_due",
                "dunning_plan_id",
                "dunning_level_id",
                "dunning_last_date",
                "dunning_blocked",
                "commercial_partner_id",
                "company_id",
                "currency_id",
                "amount_residual_signed",
                "preferred_payment_method_line_id",
            ]
        )
        self.env["res.partner"].flush_model(
            ["dunning_blocked", "dunning_litigation", "dunning_litigation_road"]
        )
        self.env["account.payment.method.line"].flush_model(["dunning_direct_debit"])
        self.env["account.dunning.level"].flush_model(["plan_id", "days"])
        self.env["account.dunning.dispute"].flush_model(["move_id", "state"])
        self.env["account.dunning.promise"].flush_model(["move_ids", "date", "state"])
        query = SQL(
            """
                SELECT move.id,
                       move.dunning_date_due AS date_due,
                       move.dunning_plan_id AS plan_id,
                       move.dunning_level_id AS last_level_id,
                       last_level.days AS last_days,
                       move.dunning_blocked AS blocked,
                       COALESCE(partner.dunning_blocked, FALSE) AS blocked_partner,
                       -- in litigation in the invoice's company (company-dependent)
                       COALESCE((partner.dunning_litigation ->> move.company_id::text)::boolean,
                                FALSE) AS litigation,
                       partner.dunning_litigation_road ->> move.company_id::text
                           AS litigation_road,
                       move.commercial_partner_id AS partner_id,
                       move.company_id,
                       move.currency_id,
                       move.amount_residual_signed AS residual,
                       COALESCE(method.dunning_direct_debit, FALSE) AS direct_debit,
                       dispute.move_id IS NOT NULL AS disputed,
                       promise.promise_date
                  FROM account_move move
             LEFT JOIN res_partner partner ON partner.id = move.commercial_partner_id
             LEFT JOIN account_dunning_level last_level ON last_level.id = move.dunning_level_id
             LEFT JOIN account_payment_method_line method
                       ON method.id = move.preferred_payment_method_line_id
             -- open disputes and promises: a few rows, joined once
             LEFT JOIN (
                       SELECT DISTINCT move_id FROM account_dunning_dispute WHERE state = 'open'
                  ) dispute ON dispute.move_id = move.id
             LEFT JOIN (
                       SELECT rel.move_id, MAX(open_promise.date) AS promise_date
                         FROM account_dunning_promise open_promise
                         JOIN account_dunning_promise_move_rel rel
                              ON rel.promise_id = open_promise.id
                        WHERE open_promise.state = 'open'
                        GROUP BY rel.move_id
                  ) promise ON promise.move_id = move.id
                 WHERE move.dunning_date_due IS NOT NULL AND %s
                 %s
                """,
            condition,
            SQL("ORDER BY %s", order) if order else SQL(),
        )
        # what the condition reads too (a domain's fields, record rules)
        self.env.flush_query(query)
        return query

    @api.model
    def _get_dunning_states_of_rows(self, names, rows):
        """{invoice id: reminder state} of the ``rows`` (a list of tuples of
        the columns ``names``) of ``_get_dunning_states_query``. The list is
        emptied as the states are made: a chunk's rows and their states are
        not held in full at the same time (tens of MB for the workbench's
        chunks)."""
        if not rows:
            return {}
        plan, company, partner = (
            names.index(name) for name in ("plan_id", "company_id", "partner_id")
        )
        rules = self._get_dunning_rules(
            {row[plan] for row in rows},
            {row[company] for row in rows},
            {row[partner] for row in rows},
            customers={(row[partner], row[company]) for row in rows},
        )
        states = {}
        state_of = self._get_dunning_state  # looked up once (see the rules' methods)
        rows.reverse()  # popped from the end, in their order
        while rows:
            row = rows.pop()
            states[row[0]] = state_of(dict(zip(names, row, strict=True)), rules)
        return states

    @api.model
    def _get_dunning_rules(self, plan_ids, company_ids, partner_ids, customers=None):
        """What the state of invoices depends on beyond their own values:
        today, the steps of their plans (``plan_ids``), the settings of their
        companies (``company_ids``) and the last reminder date of each of
        their customers (``partner_ids``, commercial partners) in each
        company; only of the pairs (customer, company) of ``customers`` when
        given."""
        plans = self.env["account.dunning.plan"].browse(set(plan_ids) - {None})
        companies = self.env["res.company"].sudo().browse(set(company_ids))
        if customers is None:
            customers = [(pid, cid) for pid in set(partner_ids) for cid in companies.ids]
        customers = list(customers)
        # each customer's latest date read from the index of the dates
        # (``init``), one lookup per customer and company: a grouped query
        # over thousands of customers scanned every invoice, for each chunk
        # of the workbench
        last_dates = {
            (partner_id, company_id): last_date
            for partner_id, company_id, last_date in self.env.execute_query(
                SQL(
                    "SELECT customer.partner_id, customer.company_id, last.date "
                    "FROM unnest(%s::int4[], %s::int4[]) AS customer(partner_id, company_id) "
                    "CROSS JOIN LATERAL (SELECT MAX(move.dunning_last_date) AS date "
                    "FROM account_move move "
                    "WHERE move.commercial_partner_id = customer.partner_id "
                    "AND move.company_id = customer.company_id "
                    "AND move.dunning_last_date IS NOT NULL) AS last "
                    "WHERE last.date IS NOT NULL",
                    sql_array(pid for pid, _cid in customers),
                    sql_array(cid for _pid, cid in customers),
                )
            )
        }
        Engine = self.env["account.dunning.engine"]
        todays = Engine._get_todays(companies)
        return {
            "today": Engine._get_today(),
            "ladders": plans._get_ladders(),
            "companies": {
                company.id: {
                    "today": todays[company.id],
                    "min_amount": company.dunning_min_amount,
                    "rounding": company.currency_id.rounding,
                    "min_interval_days": company.dunning_min_interval_days,
                    "exclude_direct_debit": company.dunning_exclude_direct_debit,
                    "promise_grace_days": company.dunning_promise_grace_days,
                }
                for company in companies
            },
            "last_dates": last_dates,
            "methods": self._get_dunning_rule_methods(),
        }

    @api.model
    def _get_dunning_rule_methods(self):
        """The methods ``_get_dunning_state`` calls for each invoice, looked
        up once for all of them (an Odoo model's method is found through its
        whole chain of classes, a microsecond each time), overrides
        included."""
        Engine = self.env["account.dunning.engine"]
        Plan = self.env["account.dunning.plan"]
        Promise = self.env["account.dunning.promise"]
        return {
            "refusal_by_purpose": Engine._get_refusal_by_purpose,
            "advised_step": Plan._get_advised_step,
            "step_after": Plan._get_step_after,
            "paused_until": Promise._get_paused_until,
            "resume_date": Promise._get_resume_date,
        }

    @api.model
    def _get_dunning_state(self, values, rules):
        """Where one invoice stands in its plan today, from its plain
        ``values`` (see ``_get_dunning_states_where``) and the ``rules`` of
        ``_get_dunning_rules``: the advised level (the highest level
        reached, never below the last level sent), the date the next level
        is due (not before the customer's minimum interval), why it may not
        be reminded (the engine's ``_get_refusal``, for each purpose) and
        whether it is to remind now, all on its company's today (the
        engine's ``_get_today``). Returns a dict with ``advised_level_id``,
        ``advised_days``, ``next_date``, ``earliest``, ``refusal`` (for a
        reminder), ``refusals`` ({purpose: reason}), ``to_remind``, a
        promise's ``promise_date``, ``promise_until`` and ``promise_resume``
        and the invoice's ``last_level_id``, ``partner_id``, ``company_id``,
        ``currency_id``."""
        company_id, partner_id = values["company_id"], values["partner_id"]
        last_id = values["last_level_id"]
        state = {
            "advised_level_id": False,
            "advised_days": None,
            "next_date": False,
            "earliest": False,
            "refusal": False,
            "to_remind": False,
            "last_level_id": last_id or False,
            "partner_id": partner_id,
            "company_id": company_id,
            "currency_id": values["currency_id"],
            "disputed": bool(values.get("disputed")),
            "refusals": None,
        }
        company = rules["companies"][company_id]
        today = company.get("today") or rules["today"]
        methods = rules.get("methods")
        if methods is None:
            methods = rules["methods"] = self._get_dunning_rule_methods()
        # the customer's, worked out once for its invoices
        earliests = rules.get("earliest")
        if earliests is None:
            earliests = rules["earliest"] = {}
        customer = (partner_id, company_id)
        earliest = earliests.get(customer)
        if earliest is None:
            partner_last = rules["last_dates"].get(customer)
            earliest = earliests[customer] = (
                partner_last + timedelta(days=company["min_interval_days"])
                if partner_last
                else False
            )
        promise_date = values.get("promise_date")
        if promise_date:
            # paused through the promised date and its grace days: the
            # promise's one definition, that its note and the refusal say
            state["promise_date"] = promise_date
            state["promise_until"] = methods["paused_until"](
                promise_date, company["promise_grace_days"]
            )
            resume = state["promise_resume"] = methods["resume_date"](
                promise_date, company["promise_grace_days"]
            )
            earliest = max(earliest, resume) if earliest else resume
        if values.get("litigation"):
            state["litigation_road"] = values.get("litigation_road")
        state["earliest"] = earliest
        refusals = methods["refusal_by_purpose"](values, company, today, earliest)
        # the same few combinations for thousands of invoices: one dict each
        # (read only), not one per invoice
        shared = rules.get("refusals")
        if shared is None:
            shared = rules["refusals"] = {}
        refusals = shared.setdefault(tuple(refusals.items()), refusals)
        state["refusals"] = refusals
        refusal = state["refusal"] = refusals["remind"]
        date_due = values["date_due"]
        ladder = rules["ladders"].get(values["plan_id"])
        if not (date_due and ladder):
            return state
        steps, one_level_at_a_time, notice_ids = ladder
        last_days = values["last_days"] if last_id else None
        advised = methods["advised_step"](
            steps, one_level_at_a_time, (today - date_due).days, last_days, notice_ids
        )
        if last_id and (not advised or advised[0] < last_days):
            advised = (last_days, last_id)
        upcoming = methods["step_after"](steps, last_days)
        if upcoming:
            due = date_due + timedelta(days=upcoming[0])
            state["next_date"] = max(due, earliest) if earliest else due
        if advised:
            state["advised_days"], state["advised_level_id"] = advised
            state["to_remind"] = (last_days is None or advised[0] > last_days) and not refusal
        return state

    def _search_dunning_by_state(self, predicate):
        """Ids of the open invoices whose reminder state matches
        ``predicate``: the state is computed once for all of them, so that
        search and display follow the same (overridable) rule."""
        states = self._get_dunning_states_for_domain([])
        return [move_id for move_id, state in states.items() if predicate(state)]

    def _search_dunning_to_remind(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        wanted = bool(value) == (operator == "=")
        ids = self._search_dunning_by_state(lambda state: state["to_remind"])
        return [("id", "in" if wanted else "not in", ids)]

    def _search_dunning_advised_level_id(self, operator, value):
        if operator in ("=", "!=") and not value:
            ids = self._search_dunning_by_state(lambda state: bool(state["advised_level_id"]))
            return [("id", "in" if operator == "!=" else "not in", ids)]
        if operator in ("in", "not in", "=", "!="):
            level_ids = set(value if isinstance(value, list | tuple) else [value])
            ids = self._search_dunning_by_state(
                lambda state: state["advised_level_id"] in level_ids
            )
            positive = operator in ("in", "=")
            return [("id", "in" if positive else "not in", ids)]
        levels = self.env["account.dunning.level"]._search([("display_name", operator, value)])
        level_ids = set(levels)
        ids = self._search_dunning_by_state(lambda state: state["advised_level_id"] in level_ids)
        return [("id", "in", ids)]

    @api.model
    def _get_dunning_workbench_domain(self, filters):
        """Domain of the workbench's invoices for the filters the user set
        (a dict with the filter fields of ``account.dunning.wizard``)."""
        domain = self._get_dunning_open_domain()
        for key, fname, operator in _WORKBENCH_FILTERS:
            if filters.get(key):
                domain.append((fname, operator, filters[key]))
        if not filters.get("include_not_due"):
            domain.append(("dunning_days_overdue", ">", 0))
        if filters.get("hide_direct_debit"):
            domain.append(("dunning_direct_debit", "=", False))
        if filters.get("only_positive_balance"):
            domain.append(("commercial_partner_id", "in", self._get_dunning_positive_partners()))
        return domain

    @api.model
    def _get_dunning_positive_partners(self):
        """Customers whose receivable balance (invoices less credit notes
        and unreconciled payments) is above zero, in one query."""
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "in", self.env.companies.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        )
        balances = defaultdict(float)
        for partner, amount in groups:
            balances[partner.commercial_partner_id.id] += amount
        return [pid for pid, amount in balances.items() if amount > 0]

    @api.model
    def _get_dunning_engine_fields(self):
        """The reminder fields of an invoice that the engine owns: those
        users only read (its last level, date and count of reminders, its
        plan and due date, the charges invoiced or waived on it...). Users
        keep writing theirs: Do Not Remind, disputes, promises."""
        return {
            name
            for name, field in self._fields.items()
            if name.startswith("dunning_") and field.readonly
        }

    def _check_dunning_engine_fields(self, vals_list, create=False):
        """Refuse a user's create or write of the engine's reminder fields,
        over RPC or an import as well as a form (``dunning_engine_owned``):
        an invoice set to a level by hand would let the workbench remind it
        above the level it is advised."""
        # most writes of an invoice touch none of them: no need to list them
        if any(fname.startswith("dunning_") for vals in vals_list for fname in vals) or (
            create and any(key.startswith("default_dunning_") for key in self.env.context)
        ):
            check_engine_fields(self, self._get_dunning_engine_fields(), vals_list, create=create)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_dunning_engine_fields(vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        self._check_dunning_engine_fields([vals])
        return super().write(vals)

    @api.model
    def _dunning_write_reminder_state(self, updates):
        """Write the reminder fields of invoices: ``updates`` is a list of
        (invoice id, level id, last date, count). The invoice owns these
        fields; the engine asks for the writes, for thousands of invoices in
        one query per level and date (the notes the engine posts on each
        invoice are their history)."""
        if not updates:
            return
        fnames = ["dunning_level_id", "dunning_last_date", "dunning_count"]
        self.flush_model(fnames)
        self.env.cr.execute(
            SQL(
                "UPDATE account_move AS move SET dunning_level_id = new.level_id, "
                "dunning_last_date = new.last_date, dunning_count = new.count "
                "FROM unnest(%s::int[], %s::int[], %s::date[], %s::int[]) "
                "AS new(id, level_id, last_date, count) WHERE move.id = new.id",
                [update[0] for update in updates],
                [update[1] or None for update in updates],
                [update[2] or None for update in updates],
                [update[3] or 0 for update in updates],
            ),
            # a run that read these invoices before another one reminded
            # them fails here, as it should: not an error to log
            # (``account.dunning.engine._guard_customers``)
            log_exceptions=False,
        )
        self.invalidate_model(fnames)

    def _dunning_ensure_access_tokens(self):
        """Give the invoices that have none a portal access token, in one
        query: reminder emails link to each invoice's portal page, and
        Odoo's ``_portal_ensure_token`` would write the tokens one invoice
        at a time, each through the whole invoice ``write``."""
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE account_move AS move SET access_token = token.value "
                "FROM unnest(%s::int[], %s::varchar[]) AS token(id, value) "
                "WHERE move.id = token.id AND move.access_token IS NULL",
                missing.ids,
                [str(uuid.uuid4()) for _move in missing],
            )
        )
        missing.invalidate_recordset(["access_token"])
        missing.fetch(["access_token"])
