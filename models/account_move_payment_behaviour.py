# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.query import Query

from .account_dunning_behaviour import GRADES
from .dunning_inputs import DUNNING_READ_GROUPS

# What a search on the grade, the predicted date or the priority compares
# with: the screens' filters and groups use no other.
SEARCH_OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in")


class AccountMove(models.Model):
    """The customer's grade, the predicted payment date and the priority
    of an open invoice, in its own company: read from the customer's
    figures of the last refresh (``account.dunning.behaviour``), never
    stored on the invoice, and in SQL for the worklist to sort and group by
    them (``_field_to_sql``)."""

    _inherit = "account.move"

    dunning_grade = fields.Selection(
        GRADES,
        string="Payment Grade",
        compute="_compute_dunning_behaviour",
        search="_search_dunning_grade",
        help="The customer's payment grade in the invoice's company.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_predicted_date = fields.Date(
        string="Predicted Payment",
        compute="_compute_dunning_behaviour",
        search="_search_dunning_predicted_date",
        help="When the invoice will likely be paid: its due date plus the days its "
        "customer pays late on average (weighted by amount), else the company's "
        "customers' average.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_priority = fields.Integer(
        string="Priority",
        compute="_compute_dunning_priority",
        search="_search_dunning_priority",
        aggregator="max",
        help="Whom to chase first: the higher, the sooner. From what is overdue, how "
        "late, the customer's grade and its promises broken; a dispute or a promise "
        "not yet due lowers it. Computed every day by the daily job (and by Refresh "
        "in Customer Accounts).",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_priority_reasons = fields.Char(
        string="Why This Priority",
        compute="_compute_dunning_priority_reasons",
        help="What the priority comes from, as the invoice stands now.",
        groups=DUNNING_READ_GROUPS,
    )

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The customer's grade, the predicted date and the priority in SQL:
        the worklist sorts and groups by them."""
        if fname in ("dunning_grade", "dunning_predicted_date", "dunning_priority"):
            self.check_field_access_rights("read", [fname])
            return self._get_dunning_behaviour_sql(alias, fname)
        return super()._field_to_sql(alias, fname, query=query, flush=flush)

    def _search_dunning_by_sql(self, fname, operator, value):
        """A search on ``fname`` by its SQL (``_field_to_sql``): what the
        worklist's groups by grade or by predicted week search for."""
        value = self._get_dunning_behaviour_searched(fname, operator, value)
        query = Query(self.env, self._table, self._table_sql)
        query.add_where(self._condition_to_sql(self._table, fname, operator, value, query))
        return [("id", "in", query)]

    @api.model
    def _get_dunning_behaviour_searched(self, fname, operator, value):
        """The value a search on ``fname`` compares with (a grade, a date, a
        whole number; False: none), or a message the user reads: a search
        over RPC or in a saved filter may give anything, which the SQL of
        the field would refuse with an error about the database."""
        label = self._fields[fname]._description_string(self.env)
        if operator not in SEARCH_OPERATORS:
            raise UserError(
                self.env._(
                    "%(field)s is compared with =, !=, <, <=, >, >=, in or not in, "
                    "not %(operator)s.",
                    field=label,
                    operator=operator,
                )
            )
        many = operator in ("in", "not in")
        values = value if many and isinstance(value, list | tuple) else [value]
        checked = []
        for item in values:
            if item is False or item is None:
                checked.append(item)
                continue
            found = None
            if fname == "dunning_grade":
                found = item.strip() if isinstance(item, str) else None
            elif fname == "dunning_predicted_date":
                if isinstance(item, datetime):
                    found = item.date()
                elif isinstance(item, date):
                    found = item
                elif isinstance(item, str):
                    try:
                        found = fields.Date.to_date(item.strip())
                    except ValueError:
                        found = None
            elif not isinstance(item, bool):
                try:
                    found = int(item.strip() if isinstance(item, str) else item)
                except (TypeError, ValueError, OverflowError):
                    found = None
                if isinstance(item, float) and found != item:
                    found = None
            if found is None:
                raise UserError(
                    self.env._(
                        "%(field)s is searched with %(what)s, not %(value)s.",
                        field=label,
                        what={
                            "dunning_grade": self.env._("a grade, A to D"),
                            "dunning_predicted_date": self.env._("a date"),
                        }.get(fname, self.env._("a whole number")),
                        value=str(item)[:40],
                    )
                )
            checked.append(found)
        return checked if many else checked[0]

    def _search_dunning_grade(self, operator, value):
        return self._search_dunning_by_sql("dunning_grade", operator, value)

    def _search_dunning_predicted_date(self, operator, value):
        return self._search_dunning_by_sql("dunning_predicted_date", operator, value)

    def _search_dunning_priority(self, operator, value):
        return self._search_dunning_by_sql("dunning_priority", operator, value)

    @api.model
    def _get_dunning_behaviour_sql(self, alias, fname):
        """``fname`` of the invoice ``alias`` (a table alias of
        ``account_move``) in SQL: the rules of ``account.dunning.behaviour``."""
        Behaviour = self.env["account.dunning.behaviour"]
        if fname == "dunning_grade":
            return Behaviour._get_grade_sql(alias)
        if fname == "dunning_predicted_date":
            return SQL(
                "(%s + %s)",
                SQL.identifier(
                    alias, "dunning_date_due", to_flush=self._fields["dunning_date_due"]
                ),
                Behaviour._get_delay_sql(alias),
            )
        return SQL(
            "COALESCE((SELECT priority.priority FROM account_dunning_priority priority "
            "WHERE priority.move_id = %s), 0)",
            SQL.identifier(alias, "id"),
        )

    def _get_dunning_behaviour_values(self, fnames):
        """{invoice id: {field: value}} of ``fnames`` for these invoices, by
        the SQL of ``_get_dunning_behaviour_sql``: one query."""
        ids = [move_id for move_id in self._origin.ids if move_id]
        if not ids:
            return {}
        self.flush_model(["company_id", "commercial_partner_id", "dunning_date_due"])
        rows = self.env.execute_query(
            SQL(
                "SELECT move.id, %s FROM account_move move WHERE move.id = ANY(%s)",
                SQL(", ").join(self._get_dunning_behaviour_sql("move", fname) for fname in fnames),
                ids,
            )
        )
        return {row[0]: dict(zip(fnames, row[1:], strict=True)) for row in rows}

    @api.depends("dunning_date_due", "commercial_partner_id", "company_id")
    def _compute_dunning_behaviour(self):
        values = self._get_dunning_behaviour_values(["dunning_grade", "dunning_predicted_date"])
        for move in self:
            found = values.get(move._origin.id, {})
            move.dunning_grade = found.get("dunning_grade") or False
            move.dunning_predicted_date = found.get("dunning_predicted_date") or False

    def _compute_dunning_priority(self):
        values = self._get_dunning_behaviour_values(["dunning_priority"])
        for move in self:
            move.dunning_priority = values.get(move._origin.id, {}).get("dunning_priority") or 0

    def _compute_dunning_priority_reasons(self):
        """The reasons of the priority rule (``account.dunning.behaviour
        ._get_priority``) on the invoice as it stands now."""
        Behaviour = self.env["account.dunning.behaviour"]
        reasons = {}
        for company, moves in (
            self.filtered(lambda move: move._origin.id).grouped("company_id").items()
        ):
            rows = Behaviour._get_priority_inputs(
                company, SQL("move.id = ANY(%s)", moves._origin.ids)
            )
            rounding = company.currency_id.rounding
            for row in rows:
                found = Behaviour._get_priority(row, rounding)[1]
                reasons[row["move_id"]] = (
                    Behaviour._format_priority_reasons(found, company.currency_id) or False
                )
        for move in self:
            move.dunning_priority_reasons = reasons.get(move._origin.id, False)
