# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, format_date
from odoo.tools.misc import formatLang

from ..models.dunning_engine_owned import check_readable, engine_writes
from ..models.dunning_inputs import PERCENT_BOUNDS, check_bounds
from ..models.dunning_tools import check_dunning_access

SEND_METHODS = [("email", "Send by Email"), ("export", "Download Only")]


class AccountDunningHandoffWizard(models.TransientModel):
    """Hand Over to an Agency (issue 23): the customer's legal file
    (``res.partner._dunning_make_legal_file``) goes to the collection
    agency by email, or is downloaded to send it another way; the customer
    is put in litigation with the road ``agency``
    (``res.partner._dunning_open_litigation``), from today, with the
    agency, its commission and the invoices handed over. From then on each
    payment received on them gives the reminder responsible an activity
    "Tell the agency" (``account.dunning.litigation
    ._dunning_agency_report_payments``).

    A customer already in litigation by another road is refused: its
    lawyer or court has it. One already handed to an agency gets its file
    again (brought up to date) to the same agency, the invoices overdue
    since then handed over too; the hand-off date and the commission stay."""

    _name = "account.dunning.handoff.wizard"
    _description = "Hand Over a Customer to a Collection Agency"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    litigation_id = fields.Many2one(
        "account.dunning.litigation",
        string="Open Litigation",
        compute="_compute_litigation_id",
    )
    resend = fields.Boolean(
        string="Send the File Again",
        compute="_compute_litigation_id",
        help="The customer was handed to this agency already: its file is sent again, "
        "brought up to date.",
    )
    refusal = fields.Char(compute="_compute_litigation_id")
    agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        compute="_compute_agency_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('dunning_is_collection_agency', '=', True), "
        "('company_id', 'in', (False, company_id))]",
    )
    agency_email = fields.Char(related="agency_id.email", string="Agency Email")
    commission = fields.Float(
        string="Agency Commission (%)",
        compute="_compute_agency_id",
        store=True,
        readonly=False,
        precompute=True,
        digits=(16, 2),
        help="The share of what the agency recovers that it keeps.",
    )
    send_method = fields.Selection(
        SEND_METHODS,
        string="Send",
        required=True,
        default="email",
        help="Send by Email: the file goes to the agency's email address, attached. "
        "Download Only: you send it yourself.",
    )
    amount_owed = fields.Html(
        string="Claimed",
        compute="_compute_amount_owed",
        sanitize=False,
        help="What is claimed from the customer, per currency: its overdue invoices and "
        "the late-payment charges still owed, as its legal file states them.",
    )
    note = fields.Text(help="Kept on the litigation: the agency's file number...")

    @api.depends("partner_id", "company_id")
    def _compute_litigation_id(self):
        Litigation = self.env["account.dunning.litigation"]
        for wizard in self:
            litigation = Litigation.search(
                [
                    ("partner_id", "=", wizard.partner_id.commercial_partner_id.id),
                    ("company_id", "=", wizard.company_id.id),
                    ("state", "=", "open"),
                ],
                limit=1,
            )
            wizard.litigation_id = litigation
            wizard.resend = bool(litigation.road == "agency" and litigation.handoff_date)
            wizard.refusal = wizard._get_refusal(litigation)

    def _get_refusal(self, litigation):
        """Why this customer may not be handed to an agency, in words, or
        False: it is in litigation by another road."""
        if not litigation or litigation.road == "agency":
            return False
        return self.env._(
            "%(customer)s is already in litigation in %(company)s (%(road)s): it cannot "
            "be handed to a collection agency. Take it out of litigation first.",
            customer=litigation.partner_id.display_name,
            company=litigation.company_id.name,
            road=litigation._get_road_label(),
        )

    @api.depends("partner_id", "company_id")
    def _compute_agency_id(self):
        for wizard in self:
            litigation = wizard.litigation_id
            company = wizard.company_id.sudo()
            # a customer put in litigation with an agency by hand, not
            # handed over yet, keeps that agency
            agency = litigation.road == "agency" and litigation.agency_id
            wizard.agency_id = agency or company.dunning_agency_id
            wizard.commission = (
                litigation.agency_commission if wizard.resend else company.dunning_agency_commission
            )

    @api.depends("partner_id", "company_id")
    def _compute_amount_owed(self):
        Partner = self.env["res.partner"]
        for wizard in self:
            wizard.amount_owed = Partner._format_dunning_amounts(
                [(currency, values["total"]) for currency, values in wizard._get_claim().items()]
            )

    @api.constrains("partner_id", "company_id", "agency_id")
    def _check_readable(self):
        """Only a customer and an agency the user may read, in a company
        they selected."""
        for wizard in self:
            check_readable(wizard.partner_id, wizard.company_id, wizard.agency_id)

    @api.model_create_multi
    def create(self, vals_list):
        check_bounds(self, vals_list, {"commission": PERCENT_BOUNDS})
        return super().create(vals_list)

    def write(self, vals):
        check_bounds(self, [vals], {"commission": PERCENT_BOUNDS})
        return super().write(vals)

    def _get_claim(self):
        """What is claimed from the customer in the wizard's company, per
        currency: the legal file's claim (``account.dunning.legal.file
        ._get_claim``); nothing for a company the user did not select."""
        self.ensure_one()
        if not self.partner_id or self.company_id not in self.env.companies:
            return {}
        return (
            self.env["account.dunning.legal.file"]
            .with_company(self.company_id)
            ._get_claim(self.partner_id, self.company_id)
        )

    def _get_claimed_invoices(self):
        """The invoices of the claim: what is handed over to the agency."""
        return self.env["account.move"].union(
            *(
                invoice["move"]
                for values in self._get_claim().values()
                for invoice in values["invoices"]
            )
        )

    @api.model
    def _action_open(self, partner, company):
        """The form for ``partner`` (a customer) in ``company``."""
        check_dunning_access(
            self.env, "user", self.env._("hand customers over to a collection agency")
        )
        partner, company = partner.with_env(self.env), company.with_env(self.env)
        check_readable(partner, company)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over to an Agency"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": partner.commercial_partner_id.id,
                "default_company_id": company.id,
                "allowed_company_ids": [
                    company.id,
                    *(cid for cid in self.env.companies.ids if cid != company.id),
                ],
            },
        }

    def action_confirm(self):
        """Hand the customer over: the file made, sent to the agency or
        downloaded, the customer in litigation with the agency's road."""
        self.ensure_one()
        check_dunning_access(
            self.env, "user", self.env._("hand customers over to a collection agency")
        )
        check_readable(self.partner_id, self.company_id, self.agency_id)
        return self.with_company(self.company_id)._handoff()

    def _handoff(self):
        self.ensure_one()
        company = self.env.company
        partner = self.partner_id.commercial_partner_id.with_company(company)
        agency = self.agency_id
        litigation = self.litigation_id
        if self.refusal:
            raise UserError(self.refusal)
        if not agency:
            raise UserError(self.env._("Choose the collection agency to hand the customer to."))
        if not agency.dunning_is_collection_agency:
            raise UserError(
                self.env._(
                    "%(agency)s is not flagged as a collection agency: tick Collection "
                    "Agency on its Payment Reminders tab first.",
                    agency=agency.display_name,
                )
            )
        if litigation.agency_id and litigation.agency_id != agency:
            raise UserError(
                self.env._(
                    "%(customer)s was handed to %(agency)s: its file can only be sent again "
                    "to that agency. To change agency, take the customer out of litigation "
                    "first.",
                    customer=partner.display_name,
                    agency=litigation.agency_id.display_name,
                )
            )
        invoices = self._get_claimed_invoices()
        if not invoices and not litigation:
            raise UserError(
                self.env._(
                    "%(customer)s has no overdue invoice in %(company)s: there is nothing to "
                    "hand over.",
                    customer=partner.display_name,
                    company=company.name,
                )
            )
        if self.send_method == "email" and not email_normalize(agency.email or ""):
            raise UserError(
                self.env._(
                    "%(agency)s has no valid email address: add one, or choose Download Only.",
                    agency=agency.display_name,
                )
            )
        # the cover letter goes to the agency chosen here, not the
        # company's default one (no litigation holds it yet at a first
        # hand-off)
        attachment = partner._dunning_make_legal_file(road="agency", agency=agency)
        if not litigation:
            litigation = partner._dunning_open_litigation("agency", agency=agency, note=self.note)
        first = not litigation.handoff_date
        today = self.env["account.dunning.engine"]._get_today(company)
        vals = {"legal_file_id": attachment.id, "agency_id": agency.id}
        if first:
            vals.update(
                {
                    "handoff_date": today,
                    "agency_commission": self.commission,
                    "handoff_move_ids": [fields.Command.set(invoices.ids)],
                }
            )
        else:
            # the file sent again claims the invoices overdue since: the
            # agency has them too
            vals["handoff_move_ids"] = [fields.Command.link(move.id) for move in invoices]
        with engine_writes():
            litigation.write(vals)
        if self.send_method == "email":
            self._send_email(litigation, attachment, resend=not first)
        self._log_handoff(litigation, attachment, first)
        if self.send_method == "export":
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{attachment.id}?download=true",
                "close": True,
            }
        return {"type": "ir.actions.act_window_close"}

    def _send_email(self, litigation, attachment, resend=False):
        """The email to the agency with the file attached, from the
        template ``mail_template_dunning_agency_handoff``, in the agency's
        language: posted on the litigation as a note, so that the
        litigation's followers are not sent the file, the agency alone."""
        template = self.env.ref("account_dunning.mail_template_dunning_agency_handoff")
        values = template.with_context(dunning_handoff_resend=resend)._generate_template(
            litigation.ids, ("subject", "body_html", "email_from")
        )[litigation.id]
        return litigation.message_post(
            subject=values.get("subject"),
            body=values.get("body_html"),
            email_from=values.get("email_from") or None,
            partner_ids=self.agency_id.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _log_handoff(self, litigation, attachment, first):
        """A note on the customer (and the litigation) of what was done."""
        env = self.env
        agency = self.agency_id.display_name
        how = (
            env._("the file was sent by email to %(email)s", email=self.agency_id.email)
            if self.send_method == "email"
            else env._("the file was downloaded, to be sent to the agency")
        )
        if first:
            body = env._(
                "Handed over to the collection agency %(agency)s on %(date)s (commission "
                "%(commission)s %%): %(how)s.",
                agency=agency,
                date=format_date(env, litigation.handoff_date),
                commission=formatLang(env, self.commission, digits=2),
                how=how,
            )
        else:
            body = env._(
                "Legal file %(file)s prepared again for the collection agency %(agency)s: "
                "%(how)s.",
                file=attachment.name,
                agency=agency,
                how=how,
            )
        body = Markup("<p>%s</p>") % body
        litigation.partner_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        if self.send_method != "email":
            litigation.message_post(body=body, subtype_xmlid="mail.mt_note")
