# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import formatLang

from ..models.dunning_tools import check_dunning_access

# the figures of ``account.move._get_dunning_charges`` the screen shows
CHARGE_FIGURES = (
    "penalty",
    "penalty_invoiced",
    "penalty_waived",
    "penalty_due",
    "indemnity",
    "indemnity_invoiced",
    "indemnity_waived",
    "indemnity_due",
)


class AccountDunningChargesReport(models.TransientModel):
    """The *Late-Payment Charges* screen: per invoice, what accrued (days
    late, rates, periods), what was invoiced or waived and what is still
    owed, as ``account.move._get_dunning_charges`` decides, filled for the
    user who opens it."""

    _name = "account.dunning.charges.report"
    _description = "Late-Payment Charges"
    _order = "partner_id, date_due, id"
    _check_company_auto = True

    date = fields.Date(readonly=True, help="The charges are computed at this date.")
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, required=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)
    days = fields.Integer(string="Days Late", readonly=True, aggregator="max")
    rates = fields.Char(
        string="Yearly Rates", readonly=True, help="The yearly rates of its periods, in %."
    )
    periods = fields.Text(
        readonly=True,
        help="Each stretch of days with the same amount due and the same rate.",
    )
    penalty = fields.Monetary(string="Penalties Accrued", readonly=True)
    penalty_invoiced = fields.Monetary(string="Penalties Invoiced", readonly=True)
    penalty_waived = fields.Monetary(string="Penalties Waived", readonly=True)
    penalty_due = fields.Monetary(string="Penalties Owed", readonly=True)
    indemnity = fields.Monetary(readonly=True)
    indemnity_invoiced = fields.Monetary(readonly=True)
    indemnity_waived = fields.Monetary(readonly=True)
    indemnity_due = fields.Monetary(string="Indemnity Owed", readonly=True)
    total_due = fields.Monetary(string="Total Owed", readonly=True)

    @api.model
    def _prepare_values(self, moves, date):
        """{invoice id: the values of its line}, for the invoices with
        charges accrued."""
        values = {}
        for move_id, charge in moves._get_dunning_charges(date).items():
            if not (charge["penalty"] or charge["indemnity"]):
                continue
            move = moves.browse(move_id)
            values[move_id] = {
                "date": date,
                "move_id": move_id,
                "partner_id": move.commercial_partner_id.id,
                "company_id": move.company_id.id,
                "currency_id": move.currency_id.id,
                "date_due": move.invoice_date_due,
                "amount_residual": move.amount_residual,
                "days": charge["days"],
                "rates": " / ".join(
                    f"{formatLang(self.env, rate, digits=2)} %"
                    for rate in sorted({period["rate"] for period in charge["periods"]})
                ),
                "periods": self._get_periods_text(charge, move.currency_id),
                "total_due": charge["penalty_due"] + charge["indemnity_due"],
                **{name: charge[name] for name in CHARGE_FIGURES},
            }
        return values

    @api.model
    def _get_periods_text(self, charge, currency):
        date_text, amount_text = self.env["account.dunning"]._get_formatters(self.env, currency)
        return "\n".join(
            self.env._(
                "%(date_from)s to %(date_to)s: %(days)s days at %(rate)s %% on %(base)s = "
                "%(amount)s",
                date_from=date_text(period["date_from"]),
                date_to=date_text(period["date_to"]),
                days=period["days"],
                rate=formatLang(self.env, period["rate"], digits=2),
                base=amount_text(period["base"]),
                amount=amount_text(period["amount"]),
            )
            for period in charge["periods"]
        )

    @api.model
    def action_open(self):
        """The menu: the screen of every customer."""
        return self._action_open()

    @api.model
    def _action_open(self, partners=None):
        """The screen, filled now for the current user (for ``partners``
        only if given). Reminder users and read-only accountants."""
        check_dunning_access(self.env, "read", self.env._("see the late-payment charges"))
        date = fields.Date.context_today(self)
        moves = self.env["account.dunning.charges"]._get_chargeable_moves(partners)
        values = self._prepare_values(moves, date)
        lines = self.create(list(values.values()))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_charges_report_action"
        )
        action["domain"] = [("id", "in", lines.ids)]
        return action

    def _refresh(self):
        """Compute the lines again, after charges were invoiced or waived."""
        for date, lines in self.grouped("date").items():
            values = self._prepare_values(lines.move_id, date)
            for line in lines:
                if line.move_id.id in values:
                    line.write(values[line.move_id.id])
                else:
                    line.unlink()

    def action_invoice_charges(self):
        return self._open_charges_wizard()

    def action_waive_charges(self):
        return self._open_charges_wizard(waive=True)

    def _open_charges_wizard(self, waive=False):
        return (
            self.env["account.dunning.charges"]
            .with_context(dunning_charges_report_ids=self.ids)
            ._action_invoice(self.move_id, waive=waive)
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Never add amounts of two currencies: a group of several
        currencies shows no sum (grouped by currency too, each shows its
        own)."""
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        monetary = [name for name, field in self._fields.items() if field.type == "monetary"]
        for group in groups:
            if not any(name in group for name in monetary):
                continue
            [(currencies,)] = self._read_group(
                group.get("__domain", domain), aggregates=["currency_id:count_distinct"]
            )
            if currencies > 1:
                for name in monetary:
                    group.pop(name, None)
        return groups
