# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.account_dunning.models.dunning_engine_owned import check_readable
from odoo.addons.account_dunning.models.dunning_tools import check_dunning_access


class AccountDunningQuotationWizard(models.TransientModel):
    """The Remind dialog: who gets which quotations, and why some are left
    out; Send goes through ``account.dunning.quotation._send_reminders``."""

    _name = "account.dunning.quotation.wizard"
    _description = "Remind Quotations"

    order_ids = fields.Many2many("sale.order", string="Quotations")
    summary = fields.Html(compute="_compute_summary", sanitize=False)
    remind_count = fields.Integer(compute="_compute_summary")

    @api.constrains("order_ids")
    def _check_order_ids(self):
        """Only quotations the user may read, in the companies they selected."""
        check_readable(self.order_ids)

    @api.depends("order_ids")
    def _compute_summary(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            refusals = wizard.order_ids._get_dunning_quotation_refusal(today)
            to_remind = wizard.order_ids.filtered(lambda o, r=refusals: not r[o.id])
            wizard.remind_count = len(to_remind)
            rows = []
            # who gets the email, by the rules the sending follows
            recipients = self.env["account.dunning.quotation"]._get_recipients(to_remind.partner_id)
            # one reminder per customer and company, as they will be sent
            for (partner, _company), orders in to_remind.grouped(
                lambda o: (o.partner_id, o.company_id)
            ).items():
                _contact, email, issue = recipients[partner.id]
                if issue == "bounced":
                    how = Markup('<span class="text-danger">%s</span>') % self.env._(
                        "%(email)s bounced: a call to make", email=email
                    )
                elif issue:
                    how = Markup('<span class="text-danger">%s</span>') % self.env._(
                        "no email: a call to make"
                    )
                else:
                    how = escape(email)
                rows.append(
                    Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                    % (
                        partner.display_name,
                        how,
                        ", ".join(orders.mapped("name")),
                        max(orders.mapped("dunning_quotation_count")) + 1,
                    )
                )
            html = Markup("")
            if rows:
                html += Markup(
                    "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
                    "<th>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
                ) % (
                    self.env._("Customer"),
                    self.env._("Email"),
                    self.env._("Quotations"),
                    self.env._("Reminder"),
                    Markup("").join(rows),
                )
            skipped = [
                Markup("<li>%s: %s</li>") % (order.name, refusals[order.id])
                for order in wizard.order_ids
                if refusals[order.id]
            ]
            if skipped:
                html += Markup("<p class='mb-1'>%s</p><ul>%s</ul>") % (
                    self.env._("Left out:"),
                    Markup("").join(skipped),
                )
            wizard.summary = html

    def action_send(self):
        """Send the reminders: salespeople only, as the Remind button."""
        check_dunning_access(self.env, "sales", self.env._("remind quotations"))
        self.ensure_one()
        reminders, skipped = self.env["account.dunning.quotation"]._send_reminders(self.order_ids)
        if not reminders:
            raise UserError(self.env._("None of these quotations can be reminded now."))
        sent = reminders.filtered(lambda r: r.state == "sent")
        calls = reminders.filtered(lambda r: r.state == "call")
        failed = reminders.filtered(lambda r: r.state == "failed")
        message = self.env._(
            "Reminders sent: %(sent)s. Calls to make: %(calls)s. Failed: %(failed)s.",
            sent=len(sent),
            calls=len(calls),
            failed=len(failed),
        )
        if skipped:
            # (computed first: Odoo's term extraction trips on f-strings in _())
            left_out = ", ".join(f"{order.name} ({reason})" for order, reason in skipped.items())
            message += " " + self.env._("Left out: %(orders)s.", orders=left_out)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Quotation reminders"),
                "message": message,
                "type": "warning" if failed or skipped else "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
