# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..models.dunning_engine_owned import check_readable
from ..models.dunning_inputs import to_date
from ..models.dunning_tools import check_dunning_access, safe_filename
from ..models.res_partner import STATEMENT_REPORTS


class AccountDunningStatementWizard(models.TransientModel):
    """Print or send the customers' statements for a period."""

    _name = "account.dunning.statement.wizard"
    _description = "Print or Send Customer Statements"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        default=lambda self: self._default_partners(),
    )
    date_from = fields.Date(
        string="From",
        required=True,
        # the current month and the two before it
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=-2, day=1),
        help="Account statement: the first day of the period. The outstanding "
        "statement shows what is open at the end date.",
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=fields.Date.context_today,
        help="The outstanding statement shows what is open at this date; the "
        "aging is computed at it.",
    )
    statement_type = fields.Selection(
        [("outstanding", "Outstanding Statement"), ("activity", "Account Statement")],
        string="Statement",
        required=True,
        default="outstanding",
    )
    left_out_note = fields.Text(
        string="Not Sent by Email",
        compute="_compute_left_out_note",
        help="The customers whose statement is not sent by email, and why. "
        "Their statements can still be printed.",
    )

    @api.depends("partner_ids")
    def _compute_left_out_note(self):
        for wizard in self:
            customers = wizard.partner_ids._origin.commercial_partner_id
            refusals = self.env["account.dunning.engine"]._get_statement_refusals(customers)
            wizard.left_out_note = wizard._get_left_out_text(customers, refusals)

    def _get_left_out_text(self, customers, refusals):
        """'Dupont SARL (Email bounced), Martin SA (No email address)': the
        customers the engine leaves out of the emails, with why."""
        Engine = self.env["account.dunning.engine"]
        return (
            ", ".join(
                self.env._(
                    "%(customer)s (%(reason)s)",
                    customer=customer.display_name,
                    reason=Engine._get_refusal_message(refusals[customer.id], short=True),
                )
                for customer in customers
                if customer.id in refusals
            )
            or False
        )

    @api.model
    def _default_partners(self):
        if self.env.context.get("active_model") != "res.partner":
            return False
        return self.env["res.partner"].browse(self.env.context.get("active_ids") or [])

    @api.constrains("partner_ids")
    def _check_partner_ids(self):
        """Only customers the user may read, in the companies they selected."""
        check_readable(self.partner_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_date_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_date_values(vals)
        return super().write(vals)

    @api.model
    def _check_date_values(self, vals):
        """The dates given, read before the ORM does: a date that is none
        (typed over RPC) or out of any accounting period is a message."""
        if "date_from" in vals:
            to_date(self.env, vals["date_from"], self.env._("The start date"))
        if "date_to" in vals:
            to_date(self.env, vals["date_to"], self.env._("The end date"))

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period must end after it starts."))

    def _get_customers(self):
        """One statement per customer, whatever contacts of it were picked."""
        return self.partner_ids.commercial_partner_id

    def _get_report(self):
        return self.env.ref(STATEMENT_REPORTS[self.statement_type])

    def _prepare_report_data(self):
        # the client asks for a report with data without its record ids
        return {
            "partner_ids": self._get_customers().ids,
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.env.company.id,
        }

    def action_print(self):
        """The statements of the customers, in one PDF: reading, which
        read-only accountants may do too."""
        check_dunning_access(self.env, "read", self.env._("print statements"))
        self.ensure_one()
        return self._get_report().report_action(
            self._get_customers(), data=self._prepare_report_data()
        )

    def _render_statement_pdf(self, customer):
        """An attachment with ``customer``'s statement, on the customer
        (whom the user may only read: see ``action_send``)."""
        content, name = customer._render_dunning_statement(
            self.date_from, self.date_to, self.statement_type
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": safe_filename(f"{name} - {customer.name}.pdf"),
                    "type": "binary",
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": "res.partner",
                    "res_id": customer.id,
                }
            )
        )

    def _prepare_message(self, customer):
        """The subject and body of the email carrying ``customer``'s
        statement, in its language."""
        env = self.with_context(lang=customer.lang or self.env.lang).env
        report_name = self._get_report().with_env(env).name
        company = self.env.company
        subject = env._("%(statement)s - %(company)s", statement=report_name, company=company.name)
        if self.statement_type == "activity":
            text = env._(
                "Please find attached your account statement from %(date_from)s to %(date_to)s.",
                date_from=format_date(env, self.date_from),
                date_to=format_date(env, self.date_to),
            )
        else:
            text = env._(
                "Please find attached the statement of your open items at %(date)s.",
                date=format_date(env, self.date_to),
            )
        body = Markup("<p>%s</p><p>%s</p>") % (env._("Dear customer,"), text)
        return subject, body

    def action_send(self):
        """Email each customer its statement, to its reminder contact, as a
        message in the customer's chatter with the PDF attached. The
        customers the engine's rule leaves out (``account.dunning.engine
        ._get_statement_refusals``: Do Not Remind, no address, an address
        that bounced) get none, and the user is told who they are.

        Credit controllers may read customers without being allowed to edit
        them, which posting on a contact requires: they post as themselves,
        once their read access is checked. Reminder users only."""
        check_dunning_access(self.env, "user", self.env._("send statements"))
        self.ensure_one()
        customers = self._get_customers()
        customers.check_access("read")
        contacts = customers._get_dunning_contacts()
        refusals = self.env["account.dunning.engine"]._get_statement_refusals(customers, contacts)
        left_out = self._get_left_out_text(customers, refusals)
        to_send = customers.filtered(lambda customer: customer.id not in refusals)
        if not to_send:
            raise UserError(
                self.env._(
                    "No statement can be sent by email: %(left_out)s. You may still print them.",
                    left_out=left_out,
                )
            )
        for customer in to_send:
            attachment = self._render_statement_pdf(customer)
            subject, body = self._prepare_message(customer)
            customer.sudo().message_post(
                subject=subject,
                body=body,
                partner_ids=contacts[customer.id].ids,
                attachment_ids=attachment.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        message = self.env._("Statements sent: %(count)s", count=len(to_send))
        if left_out:
            message = self.env._(
                "%(sent)s. Not sent by email: %(left_out)s.", sent=message, left_out=left_out
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if left_out else "success",
                "message": message,
                "sticky": bool(left_out),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
