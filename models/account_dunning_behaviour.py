# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""How each customer pays and whom to chase first: the payment behaviour of
every customer of a company (average days late weighted by amount, the
trend, the share paid on time, a grade A to D), the date its open invoices
will likely be paid, and the priority of each open invoice and customer.

Each rule is one method here: the grade (``_get_grade``), the delay added
to a due date to predict its payment (``_get_delay_sql``, SQL alone: the
worklist sorts and groups by the predicted date, the expected cash reads
it), the priority and its reasons (``_get_priority``). The refresh
(``_refresh``) computes them for all the customers of a company at once,
in a few queries, as the daily job and the Refresh buttons ask."""

import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .dunning_tools import try_advisory_locks

GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]

# What the refresh writes on each customer, for one company (company
# dependent fields of res.partner, jsonb columns keyed by the company id):
# {column: SQL type of its value}.
PARTNER_VALUES = {
    "dunning_avg_days_late": "float8",
    "dunning_avg_days_late_before": "float8",
    "dunning_on_time_rate": "float8",
    "dunning_grade": "varchar",
    "dunning_priority": "int4",
}

# The priority's points (``_get_priority``). The amount overdue counts on a
# log scale (10 points per tenfold amount, company currency: 100 -> 20,
# 1,000 -> 30, 10,000 -> 40), at most AMOUNT_MAX; each day late a quarter of
# a point, for at most DAYS_MAX days; the grade its points; each promise
# broken in the last 12 months BROKEN_POINTS, for at most BROKEN_MAX of
# them. What is disputed or under a promise not yet due counts for less:
# a share of the points, in proportion of the amount concerned.
AMOUNT_MAX = 60
DAYS_MAX = 120
GRADE_POINTS = {"A": 0, "B": 5, "C": 12, "D": 20}
BROKEN_POINTS = 10
BROKEN_MAX = 2
DISPUTED_KEEPS = 0.25
PROMISED_KEEPS = 0.5


class AccountDunningBehaviour(models.AbstractModel):
    """The customers' payment behaviour, predicted payments and priorities
    of a company, and their refresh."""

    _name = "account.dunning.behaviour"
    _description = "Customer Payment Behaviour"

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model
    def _get_grade_thresholds(self, company):
        """The company's grade thresholds: (A: at most days late, A: at
        least this share paid on time (0 to 1), B: at most days late, C: at
        most days late)."""
        company = company.sudo()
        return (
            company.dunning_grade_a_days,
            company.dunning_grade_a_on_time / 100.0,
            company.dunning_grade_b_days,
            company.dunning_grade_c_days,
        )

    @api.model
    def _get_grade(self, avg_days_late, on_time_rate, thresholds):
        """THE grade of a customer who paid ``avg_days_late`` days late on
        average (weighted by amount) with ``on_time_rate`` (0 to 1) of its
        installments paid on time, by the company's ``thresholds``
        (``_get_grade_thresholds``): A when late at most A's days and on
        time at least A's share, else B, C when late at most their days,
        else D. None without history."""
        if avg_days_late is None:
            return None
        a_days, a_rate, b_days, c_days = thresholds
        if avg_days_late <= a_days and on_time_rate >= a_rate:
            return "A"
        if avg_days_late <= b_days:
            return "B"
        if avg_days_late <= c_days:
            return "C"
        return "D"

    @api.model
    def _get_delay_sql(self, move):
        """THE number of days added to a due date of the invoice ``move``
        (a table alias of ``account_move``) to predict when it will be
        paid: its customer's average days late in the invoice's company,
        rounded to the nearest day (half a day up), else the company's
        average, else none. In SQL alone: the worklist sorts and groups by
        the predicted date and the expected cash adds the delay to each
        installment."""
        company_key = SQL("%s::text", SQL.identifier(move, "company_id"))
        return SQL(
            """COALESCE(
                (SELECT ROUND((partner.dunning_avg_days_late ->> %(key)s)::numeric)
                   FROM res_partner partner WHERE partner.id = %(partner)s),
                (SELECT ROUND(company.dunning_avg_days_late::numeric)
                   FROM res_company company WHERE company.id = %(company)s),
                0)::int""",
            key=company_key,
            partner=SQL.identifier(move, "commercial_partner_id"),
            company=SQL.identifier(move, "company_id"),
        )

    @api.model
    def _get_grade_sql(self, move):
        """The grade of the customer of the invoice ``move`` (a table alias
        of ``account_move``) in the invoice's company, in SQL."""
        return SQL(
            "(SELECT partner.dunning_grade ->> %s::text FROM res_partner partner "
            "WHERE partner.id = %s)",
            SQL.identifier(move, "company_id"),
            SQL.identifier(move, "commercial_partner_id"),
        )

    @api.model
    def _get_priority(self, values, rounding=0.01):
        """THE priority of an open invoice or of a customer: whom to chase
        first. ``values``: ``amount_overdue`` (what is left to pay past its
        due date, company currency), ``days_late`` (of the oldest overdue
        installment), ``grade``, ``broken`` (promises broken in the last
        12 months), ``amount_disputed`` and ``amount_promised`` (of the
        amount overdue, what an open dispute or a promise whose reminders
        are still paused holds). ``rounding``: the company currency's.

        The more overdue, the later, the worse the grade and the more
        promises broken, the higher; disputes and promises not yet due
        lower it (the points module constants say how much). Nothing
        overdue: 0. Returns (score, reasons), the reasons a list of
        (what, value) that ``_format_priority_reasons`` puts in words."""
        amount = values.get("amount_overdue") or 0.0
        if amount < rounding / 2:
            return 0, []
        days = max(values.get("days_late") or 0, 0)
        grade = values.get("grade") or False
        broken = values.get("broken") or 0
        points = min(10 * math.log10(1 + amount), AMOUNT_MAX)
        points += min(days, DAYS_MAX) / 4
        points += GRADE_POINTS.get(grade, 0)
        points += BROKEN_POINTS * min(broken, BROKEN_MAX)
        disputed = min((values.get("amount_disputed") or 0.0) / amount, 1.0)
        promised = min((values.get("amount_promised") or 0.0) / amount, 1.0 - disputed)
        points *= 1 - (1 - DISPUTED_KEEPS) * disputed - (1 - PROMISED_KEEPS) * promised
        reasons = [("overdue", amount), ("days", days)]
        if grade:
            reasons.append(("grade", grade))
        if broken:
            reasons.append(("broken", broken))
        if disputed:
            reasons.append(("disputed", disputed))
        if promised:
            reasons.append(("promised", promised))
        return int(points + 0.5), reasons

    @api.model
    def _format_priority_reasons(self, reasons, currency):
        """The ``reasons`` of ``_get_priority`` in the user's words, for a
        column: "1,200.00 € overdue · 45 days late · grade D · promise
        broken". ``currency``: the company's."""
        words = []
        for what, value in reasons:
            if what == "overdue":
                amount = formatLang(self.env, value, currency_obj=currency)
                words.append(self.env._("%(amount)s overdue", amount=amount))
            elif what == "days":
                words.append(
                    self.env._("1 day late")
                    if value == 1
                    else self.env._("%(days)s days late", days=value)
                )
            elif what == "grade":
                words.append(self.env._("grade %(grade)s", grade=value))
            elif what == "broken":
                words.append(
                    self.env._("promise broken")
                    if value == 1
                    else self.env._("%(count)s promises broken", count=value)
                )
            elif what == "disputed":
                words.append(
                    self.env._("disputed") if value >= 1 else self.env._("partly disputed")
                )
            elif what == "promised":
                words.append(
                    self.env._("payment promised")
                    if value >= 1
                    else self.env._("payment promised for part")
                )
        return " · ".join(words)

    @api.model
    def _get_explanation(self, grade, avg_days_late, avg_days_late_before, on_time_rate):
        """The one line that explains a customer's ``grade``: "Pays 23 days
        late on average, weighted by amount; 40 % paid on time; worse than
        last year (12 days)". Last year's average is the 12 months before
        the last 12: the same number of days, rounded, is "as last year".
        False without a grade."""
        if not grade:
            return False
        days = int(avg_days_late + 0.5)
        if days == 0:
            text = self.env._("Pays on time on average, weighted by amount")
        elif days == 1:
            text = self.env._("Pays 1 day late on average, weighted by amount")
        else:
            text = self.env._("Pays %(days)s days late on average, weighted by amount", days=days)
        rate = formatLang(self.env, on_time_rate * 100, digits=0)
        on_time = self.env._("%(rate)s %% paid on time", rate=rate)
        if avg_days_late_before is None:
            trend = self.env._("no payment the year before")
        else:
            before = int(avg_days_late_before + 0.5)
            if before == days:
                trend = self.env._("as last year")
            elif days > before:
                trend = (
                    self.env._("worse than last year (1 day)")
                    if before == 1
                    else self.env._("worse than last year (%(days)s days)", days=before)
                )
            elif before == 1:
                trend = self.env._("better than last year (1 day)")
            else:
                trend = self.env._("better than last year (%(days)s days)", days=before)
        # one sentence to translate: French puts a space before ";"
        return self.env._(
            "%(average)s; %(on_time)s; %(trend)s", average=text, on_time=on_time, trend=trend
        )

    # ------------------------------------------------------------------
    # What the rules read
    # ------------------------------------------------------------------

    @api.model
    def _get_payment_history(self, company, today):
        """What the customers of ``company`` paid in the last 12 months
        (up to ``today``) and in the 12 months before: {customer id, or
        None for the whole company: {"recent" or "before": (average days
        late weighted by amount, share paid on time, installments)}}.

        Each paid installment of a posted customer invoice counts (one for
        an invoice of one installment): its receivable line fully
        reconciled, weighed by its amount in company currency. Paid on the
        date of the last reconciliation that closed it (the later of the
        installment's and the payment's or credit note's date); late by
        the days from its due date (the one the reminders used) to then,
        none when paid early (an early payment does not make up for a late
        one); on time when paid by its due date. Invoices cancelled by a
        credit note in full (reversed) are not payments. One query."""
        start = today - relativedelta(years=1)
        start_before = today - relativedelta(years=2)
        self.env["account.move.line"].flush_model(
            ["balance", "reconciled", "date_maturity", "move_id", "account_id", "company_id"]
        )
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "payment_state",
                "invoice_date_due",
                "commercial_partner_id",
                "company_id",
            ]
        )
        self.env["account.partial.reconcile"].flush_model(
            ["debit_move_id", "max_date", "company_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH paid AS (
                    SELECT partial.debit_move_id AS line_id,
                           MAX(partial.max_date) AS date_paid
                      FROM account_partial_reconcile partial
                     WHERE partial.company_id = %(company)s
                     GROUP BY partial.debit_move_id
                    HAVING MAX(partial.max_date) > %(start_before)s
                       AND MAX(partial.max_date) <= %(today)s
                ),
                installments AS (
                    SELECT move.commercial_partner_id AS partner_id,
                           line.balance AS amount,
                           paid.date_paid,
                           COALESCE(line.date_maturity, move.invoice_date_due) AS date_due
                      FROM paid
                      JOIN account_move_line line ON line.id = paid.line_id
                      JOIN account_move move ON move.id = line.move_id
                      JOIN account_account account ON account.id = line.account_id
                     WHERE line.reconciled
                       AND line.balance > 0
                       AND account.account_type = 'asset_receivable'
                       AND move.company_id = %(company)s
                       AND move.move_type = 'out_invoice'
                       AND move.state = 'posted'
                       AND move.payment_state IS DISTINCT FROM 'reversed'
                       AND COALESCE(line.date_maturity, move.invoice_date_due) IS NOT NULL
                )
                SELECT GROUPING(partner_id) = 1 AS whole,
                       partner_id,
                       date_paid > %(start)s AS recent,
                       (SUM(amount * GREATEST(date_paid - date_due, 0))
                           / NULLIF(SUM(amount), 0))::float8,
                       (COUNT(*) FILTER (WHERE date_paid <= date_due))::float8 / COUNT(*),
                       COUNT(*)
                  FROM installments
                 GROUP BY GROUPING SETS ((partner_id, date_paid > %(start)s),
                                         (date_paid > %(start)s))
                """,
                company=company.id,
                today=today,
                start=start,
                start_before=start_before,
            )
        )
        history = defaultdict(dict)
        for whole, partner_id, recent, avg_days, on_time, count in rows:
            history[None if whole else partner_id]["recent" if recent else "before"] = (
                avg_days or 0.0,
                on_time,
                count,
            )
        return history

    @api.model
    def _get_priority_inputs(self, company, condition=None, grades=None):
        """The values ``_get_priority`` needs for the open invoices of
        ``company`` that meet the SQL ``condition`` on ``move`` (all of
        them by default): one dict per invoice with ``move_id``,
        ``partner_id`` and the values of ``_get_priority``, on the
        company's today. ``grades``: {customer id: grade} to use instead of
        those stored (the refresh has them before it writes them). Three
        queries whatever their number."""
        Engine = self.env["account.dunning.engine"]
        Promise = self.env["account.dunning.promise"]
        today = Engine._get_today(company)
        grace = company.sudo().dunning_promise_grace_days
        self.env["account.move"].flush_model(
            ["move_type", "state", "company_id", "commercial_partner_id", "dunning_date_due"]
        )
        self.env["account.move.line"].flush_model(
            ["amount_residual", "reconciled", "date_maturity", "parent_state", "account_id"]
        )
        self.env["account.dunning.dispute"].flush_model(["move_id", "state", "company_id"])
        Promise.flush_model(["move_ids", "date", "state", "company_id", "partner_id"])
        rows = self.env.execute_query_dict(
            SQL(
                """
                -- one pass over the invoices, each joined to its own lines
                -- (an index lookup per invoice whatever the statistics say:
                -- a CTE of the overdue amounts joined back was aggregated
                -- again for every invoice when the planner expected one)
                WITH moves AS (
                    SELECT move.id, move.commercial_partner_id, move.dunning_date_due,
                           COALESCE(SUM(line.amount_residual), 0) AS overdue_amount
                      FROM account_move move
                 LEFT JOIN account_move_line line
                        ON line.move_id = move.id
                       AND line.parent_state = 'posted'
                       AND NOT line.reconciled
                       AND line.amount_residual > 0
                       AND COALESCE(line.date_maturity, line.date) < %(today)s
                       AND line.account_id IN (
                           SELECT id FROM account_account
                            WHERE account_type = 'asset_receivable'
                       )
                     WHERE move.company_id = %(company)s
                       AND move.move_type = 'out_invoice'
                       AND move.state = 'posted'
                       AND move.dunning_date_due IS NOT NULL
                       AND %(condition)s
                     GROUP BY move.id
                )
                SELECT moves.id AS move_id,
                       moves.commercial_partner_id AS partner_id,
                       moves.overdue_amount::float8 AS amount_overdue,
                       %(today)s - moves.dunning_date_due AS days_late,
                       partner.dunning_grade ->> %(key)s AS grade,
                       dispute.move_id IS NOT NULL AS disputed,
                       promise.promise_date
                  FROM moves
                  JOIN res_partner partner ON partner.id = moves.commercial_partner_id
             -- open disputes and promises: a few rows, joined once (no
             -- subquery per invoice, whose cost estimate wakes up the JIT)
             LEFT JOIN (
                       SELECT DISTINCT move_id FROM account_dunning_dispute
                        WHERE state = 'open' AND company_id = %(company)s
                  ) dispute ON dispute.move_id = moves.id
             LEFT JOIN (
                       SELECT rel.move_id, MAX(promise.date) AS promise_date
                         FROM account_dunning_promise promise
                         JOIN account_dunning_promise_move_rel rel ON rel.promise_id = promise.id
                        WHERE promise.state = 'open' AND promise.company_id = %(company)s
                        GROUP BY rel.move_id
                  ) promise ON promise.move_id = moves.id
                """,
                company=company.id,
                key=str(company.id),
                today=today,
                condition=condition or SQL("TRUE"),
            )
        )
        broken = dict(
            self.env.execute_query(
                SQL(
                    "SELECT partner_id, COUNT(*) FROM account_dunning_promise "
                    "WHERE company_id = %s AND state = 'broken' AND date > %s "
                    "AND partner_id = ANY(%s) GROUP BY partner_id",
                    company.id,
                    today - relativedelta(years=1),
                    list({row["partner_id"] for row in rows}),
                )
            )
        )
        for row in rows:
            overdue = row["amount_overdue"]
            if overdue <= 0:
                row["days_late"] = 0
            if grades is not None:
                row["grade"] = grades.get(row["partner_id"])
            row["broken"] = broken.get(row["partner_id"], 0)
            # a promise holds while its reminders are paused (the engine's rule)
            promise_date = row.pop("promise_date")
            promised = bool(promise_date) and today < Promise._get_resume_date(promise_date, grace)
            row["amount_disputed"] = overdue if row.pop("disputed") else 0.0
            row["amount_promised"] = overdue if promised and not row["amount_disputed"] else 0.0
        return rows

    @api.model
    def _get_customer_inputs(self, invoices):
        """{customer id: the values of ``_get_priority`` for the customer}
        from its open invoices' (``_get_priority_inputs``): what is overdue
        on all of them, disputed and promised, the days late of the oldest
        overdue one."""
        customers = {}
        for row in invoices:
            values = customers.setdefault(
                row["partner_id"],
                {
                    "amount_overdue": 0.0,
                    "days_late": 0,
                    "grade": row["grade"],
                    "broken": row["broken"],
                    "amount_disputed": 0.0,
                    "amount_promised": 0.0,
                },
            )
            for key in ("amount_overdue", "amount_disputed", "amount_promised"):
                values[key] += row[key]
            values["days_late"] = max(values["days_late"], row["days_late"])
        return customers

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------

    @api.model
    def _refresh(self, company):
        """Compute the payment behaviour, grade and priority of every
        customer of ``company`` and the priority of its open invoices, and
        write them, in a few queries whatever their number: one update of
        the customers whose values changed (a customer without history in
        the last 12 months loses its grade and averages), one of the
        invoices' priorities. One refresh of a company at a time: while
        another transaction refreshes it (the daily job, a user's Refresh),
        this one does nothing and returns "running" (nobody waits for it).
        Returns {"customers": customers graded, "invoices": open invoices}."""
        if not try_advisory_locks(self.env.cr, "account.dunning.behaviour", {(company.id, 0)}):
            return {"customers": 0, "invoices": 0, "running": True}
        today = self.env["account.dunning.engine"]._get_today(company)
        history = self._get_payment_history(company, today)
        thresholds = self._get_grade_thresholds(company)
        values = defaultdict(dict)
        for partner_id, periods in history.items():
            if partner_id is None:
                continue
            recent, before = periods.get("recent"), periods.get("before")
            if recent:
                values[partner_id]["dunning_avg_days_late"] = round(recent[0], 2)
                values[partner_id]["dunning_on_time_rate"] = round(recent[1], 4)
                values[partner_id]["dunning_grade"] = self._get_grade(
                    recent[0], recent[1], thresholds
                )
            if before:
                values[partner_id]["dunning_avg_days_late_before"] = round(before[0], 2)
        grades = {
            partner_id: vals["dunning_grade"]
            for partner_id, vals in values.items()
            if vals.get("dunning_grade")
        }
        invoices = self._get_priority_inputs(company, grades=grades)
        rounding = company.currency_id.rounding
        priorities = {}
        for row in invoices:
            score = self._get_priority(row, rounding)[0]
            if score:
                priorities[row["move_id"]] = score
        for partner_id, inputs in self._get_customer_inputs(invoices).items():
            score = self._get_priority(inputs, rounding)[0]
            if score:
                values[partner_id]["dunning_priority"] = score
        self._write_partner_values(company, values)
        self._write_move_priorities(company, priorities)
        recent = history.get(None, {}).get("recent")
        company.sudo().write(
            {
                "dunning_avg_days_late": round(recent[0], 2) if recent else 0.0,
                "dunning_behaviour_date": fields.Datetime.now(),
            }
        )
        self.env["account.move"].invalidate_model(["dunning_grade", "dunning_predicted_date"])
        return {"customers": len(grades), "invoices": len(invoices)}

    @api.model
    def _write_partner_values(self, company, values):
        """Write ``values`` ({customer id: {field: value}}, ``PARTNER_VALUES``)
        for ``company`` in one update of the customers whose values change;
        the customers not in ``values`` that hold one for the company lose
        it. The other companies' values are left as they are."""
        Partner = self.env["res.partner"]
        Partner.flush_model(list(PARTNER_VALUES))
        key = str(company.id)
        held = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT id FROM res_partner WHERE %s",
                    SQL(" OR ").join(
                        SQL("%s ? %s", SQL.identifier(column), key) for column in PARTNER_VALUES
                    ),
                )
            )
        ]
        ids = sorted(set(values) | set(held))
        if not ids:
            return
        columns = list(PARTNER_VALUES)
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner partner SET %(assign)s
                  FROM (SELECT partner.id, %(new)s
                          FROM res_partner partner
                          JOIN unnest(%(arrays)s) AS new(id, %(names)s) ON new.id = partner.id
                       ) src
                 WHERE partner.id = src.id
                   AND (%(current)s) IS DISTINCT FROM (%(computed)s)
                """,
                assign=SQL(", ").join(
                    SQL("%s = src.%s", SQL.identifier(column), SQL.identifier(column))
                    for column in columns
                ),
                new=SQL(", ").join(
                    SQL(
                        "CASE WHEN new.%(col)s IS NULL "
                        "THEN NULLIF(COALESCE(partner.%(col)s, '{}'::jsonb) - %(key)s, "
                        "'{}'::jsonb) "
                        "ELSE COALESCE(partner.%(col)s, '{}'::jsonb) "
                        "|| jsonb_build_object(%(key)s, new.%(col)s) END AS %(col)s",
                        col=SQL.identifier(column),
                        key=key,
                    )
                    for column in columns
                ),
                arrays=SQL(", ").join(
                    [SQL("%s::int[]", ids)]
                    + [
                        SQL(
                            "%s::%s[]",
                            [values.get(partner_id, {}).get(column) for partner_id in ids],
                            SQL(PARTNER_VALUES[column]),
                        )
                        for column in columns
                    ]
                ),
                names=SQL(", ").join(SQL.identifier(column) for column in columns),
                current=SQL(", ").join(
                    SQL("partner.%s", SQL.identifier(column)) for column in columns
                ),
                computed=SQL(", ").join(
                    SQL("src.%s", SQL.identifier(column)) for column in columns
                ),
            )
        )
        Partner.invalidate_model(list(PARTNER_VALUES) + ["dunning_grade_explanation"])

    @api.model
    def _write_move_priorities(self, company, priorities):
        """Keep ``priorities`` ({invoice id: score above 0}) as the priority
        of the open invoices of ``company``, in a table of their own
        (``account.dunning.priority``): writing a score on each of
        200,000 invoice rows would take seconds. The company's other
        invoices have none (0)."""
        Priority = self.env["account.dunning.priority"]
        ids = list(priorities)
        self.env.cr.execute(
            SQL(
                "DELETE FROM account_dunning_priority WHERE company_id = %s "
                "AND move_id NOT IN (SELECT unnest(%s::int[]))",
                company.id,
                ids,
            )
        )
        if ids:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO account_dunning_priority (move_id, company_id, priority)
                    SELECT new.move_id, %s, new.priority
                      FROM unnest(%s::int[], %s::int[]) AS new(move_id, priority)
                    ON CONFLICT (move_id) DO UPDATE
                       SET priority = EXCLUDED.priority, company_id = EXCLUDED.company_id
                     WHERE account_dunning_priority.priority IS DISTINCT FROM EXCLUDED.priority
                        OR account_dunning_priority.company_id != EXCLUDED.company_id
                    """,
                    company.id,
                    ids,
                    [priorities[move_id] for move_id in ids],
                )
            )
        Priority.invalidate_model()
        self.env["account.move"].invalidate_model(["dunning_priority", "dunning_priority_reasons"])
