# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .account_dunning_litigation import LITIGATION_ROADS
from .dunning_engine_owned import check_engine_fields, check_readable
from .dunning_inputs import DUNNING_READ_GROUPS

# What the engine reads, per company: written by account.dunning.litigation alone.
LITIGATION_PARTNER_FIELDS = {"dunning_litigation", "dunning_litigation_road"}


class ResPartner(models.Model):
    """A customer in litigation, per company (``account.dunning.litigation``):
    the engine refuses every reminder to it there."""

    _inherit = "res.partner"

    dunning_litigation = fields.Boolean(
        string="In Litigation",
        company_dependent=True,
        readonly=True,
        index=False,
        help="The claim is in the hands of a court, a lawyer or a collection agency: "
        "no reminder is sent to this customer in this company. Put in and taken out "
        "of litigation from the Payment Reminders tab.",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_litigation_road = fields.Selection(
        LITIGATION_ROADS,
        string="Litigation Road",
        company_dependent=True,
        readonly=True,
        index=False,
        groups=DUNNING_READ_GROUPS,
    )
    dunning_litigation_id = fields.Many2one(
        "account.dunning.litigation",
        string="Open Litigation",
        compute="_compute_dunning_litigation_ids",
        search="_search_dunning_litigation_id",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_litigation_ids = fields.Many2many(
        "account.dunning.litigation",
        string="Litigation History",
        compute="_compute_dunning_litigation_ids",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_litigation_date = fields.Date(
        string="In Litigation Since",
        compute="_compute_dunning_litigation_ids",
        groups=DUNNING_READ_GROUPS,
    )
    dunning_litigation_user_id = fields.Many2one(
        "res.users",
        string="Litigation Handled By",
        compute="_compute_dunning_litigation_ids",
        groups=DUNNING_READ_GROUPS,
    )

    @api.depends_context("company")
    @api.depends("dunning_litigation")
    def _compute_dunning_litigation_ids(self):
        """The litigations of each customer (its commercial partner) in the
        current company, the open one apart; one search for all."""
        commercials = self.commercial_partner_id
        litigations = self.env["account.dunning.litigation"].search(
            [
                ("partner_id", "in", commercials.ids),
                ("company_id", "=", self.env.company.id),
            ]
        )
        for partner in self:
            own = litigations.filtered(
                lambda lit, partner=partner: lit.partner_id == partner.commercial_partner_id
            )
            current = own.filtered(lambda lit: lit.state == "open")[:1]
            partner.dunning_litigation_ids = own
            partner.dunning_litigation_id = current
            partner.dunning_litigation_date = current.date_start
            partner.dunning_litigation_user_id = current.user_id

    def _search_dunning_litigation_id(self, operator, value):
        """Customers by their open litigation in the current company: set
        or not (``= False``), by litigation ids, or by the name of the
        customer or the road otherwise."""
        domain = [("state", "=", "open"), ("company_id", "=", self.env.company.id)]
        if operator in ("=", "!=") and not value:
            positive = operator == "!="
        elif isinstance(value, str):
            domain.append(("display_name", operator, value))
            positive = True
        else:
            domain.append(("id", operator, value))
            positive = True
        query = self.env["account.dunning.litigation"]._search(domain)
        return [("id", "in" if positive else "not in", query.subselect("partner_id"))]

    @api.model_create_multi
    def create(self, vals_list):
        check_engine_fields(self, LITIGATION_PARTNER_FIELDS, vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_engine_fields(self, LITIGATION_PARTNER_FIELDS, [vals])
        return super().write(vals)

    def _dunning_open_litigation(self, road, date=None, user=None, agency=None, note=None):
        """Put this customer (its commercial partner) in litigation in the
        current company, by ``road`` (``LITIGATION_ROADS``), from ``date``
        (the company's today by default), handled by ``user`` (the current
        user by default), with the collection ``agency`` when there is one
        and a ``note``. Refused when it is in litigation there already.
        From then on, the engine refuses every reminder to it in this
        company. Returns the open ``account.dunning.litigation``."""
        self.ensure_one()
        Litigation = self.env["account.dunning.litigation"]
        Litigation._check_litigation_access()
        commercial = self.commercial_partner_id
        check_readable(commercial)
        company = self.env.company
        if road not in dict(LITIGATION_ROADS):
            raise UserError(self.env._("Choose the road the claim takes."))
        if Litigation.search_count(
            [
                ("partner_id", "=", commercial.id),
                ("company_id", "=", company.id),
                ("state", "=", "open"),
            ]
        ):
            raise UserError(
                self.env._(
                    "%(customer)s is already in litigation in %(company)s: take it out of "
                    "litigation first.",
                    customer=commercial.display_name,
                    company=company.name,
                )
            )
        vals = {
            "company_id": company.id,
            "partner_id": commercial.id,
            "road": road,
            "user_id": (user or self.env.user).id,
            "agency_id": agency.id if agency else False,
            "note": note or False,
        }
        if date:
            vals["date_start"] = date
        return Litigation.create(vals)

    # ------------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------------

    def action_dunning_open_litigation(self):
        """The Put in Litigation form, for this customer in the current
        company."""
        self.env["account.dunning.litigation"]._check_litigation_access()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Put in Litigation"),
            "res_model": "account.dunning.litigation.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_company_id": self.env.company.id,
            },
        }

    def action_dunning_close_litigation(self):
        """The Take Out of Litigation form of this customer's open
        litigation in the current company."""
        self.ensure_one()
        litigation = self.commercial_partner_id.dunning_litigation_id
        if not litigation:
            raise UserError(
                self.env._(
                    "%(customer)s is not in litigation in %(company)s.",
                    customer=self.commercial_partner_id.display_name,
                    company=self.env.company.name,
                )
            )
        return litigation.action_take_out()

    def action_view_dunning_litigations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_litigation_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
