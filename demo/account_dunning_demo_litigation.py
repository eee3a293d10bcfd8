# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models

# the crons that must have run before this demo's: the main demo's history
# is made only in a company without reminders, then the daily job runs (it
# would remind these customers, not in litigation yet); the customer page's
# demo, when installed, runs after them too
DEMO_CRONS_FIRST = [
    "account_dunning.ir_cron_dunning_demo_history",
    "account_dunning.ir_cron_dunning",
    "account_dunning_portal.ir_cron_dunning_portal_demo",
]


class AccountDunningDemo(models.AbstractModel):
    """The legal road in the demo (demo/account_dunning_demo_litigation.xml):
    a customer in litigation with its legal file, one handed to a
    collection agency that paid part of its debt since."""

    _inherit = "account.dunning.demo"

    @api.model
    def _legal_demo_waits(self):
        """Whether one of ``DEMO_CRONS_FIRST`` is still to run."""
        crons = [cron.id for xmlid in DEMO_CRONS_FIRST if (cron := self.env.ref(xmlid, False))]
        return bool(
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [
                    ("cron_id", "in", crons),
                    ("cron_id.active", "=", True),
                    ("call_at", "<=", fields.Datetime.now()),
                ]
            )
        )

    @api.model
    def _legal_demo(self):
        """The legal road of the two customers of the demo file, as users
        would have taken it: run once by a cron once the other demo crons
        have run (tried again in a minute until then), with the demo web
        server up (the letters and the legal files are PDFs that take their
        styles from it). Returns whether it ran."""
        if self._legal_demo_waits():
            self.env.ref("account_dunning.ir_cron_dunning_demo_legal")._trigger(
                fields.Datetime.now() + timedelta(minutes=1)
            )
            return False
        rousseau = self.env.ref("account_dunning.partner_rousseau_demo")
        halles = self.env.ref("account_dunning.partner_halles_demo")
        if self.env["account.dunning"].search_count(
            [("partner_id", "in", (rousseau | halles).ids)], limit=1
        ):
            return False
        # the daily job's first run asked to remind them: they went further
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", (rousseau | halles).ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("account_dunning.mail_activity_type_dunning").id,
                ),
            ]
        ).unlink()
        self._litigation_demo(rousseau)
        self._agency_demo(halles)
        return True

    @api.model
    def _litigation_demo(self, partner):
        """Bâtiments Rousseau: a first reminder 90 days ago, a second one
        72 days ago (its letter posted the day after), the formal notice 52
        days ago by email and registered letter, signed for 49 days ago
        (eight days to pay: its deadline passed 41 days ago). Put in
        litigation 21 days ago to ask the commercial court for an order
        for payment; its legal file prepared today, kept on it."""
        invoices = ["invoice_rousseau_1_demo", "invoice_rousseau_2_demo"]
        self._remind(invoices, 90, delivered=True)
        self._remind(invoices, 72, delivered=True, posted=True)
        self._remind(
            invoices,
            52,
            delivered=True,
            posted=True,
            registered={"number": "1A 187 552 0431 6", "ack_days_ago": 49},
        )
        since = self._last_message_id()
        partner._dunning_open_litigation(
            "order_for_payment",
            date=fields.Date.context_today(self) - timedelta(days=21),
            note="Requête en injonction de payer à déposer au greffe du tribunal de commerce "
            "de Marseille.",
        )
        self._date_messages(since, 21)
        return partner._dunning_make_legal_file()

    @api.model
    def _agency_demo(self, partner):
        """Brasserie des Halles: a first reminder 100 days ago, a second
        one 82 days ago, the formal notice 62 days ago by email and
        registered letter, signed for 59 days ago. Handed over this morning
        to the company's collection agency, its file sent by email (the
        agency's commission: the company's); since, the customer paid 1,000
        of its oldest invoice to the company: its responsible has an
        activity "Tell the agency", the customer's tab shows what was
        recovered since the hand-off and the commission on it. (Today both:
        the hand-off is dated by the engine's today, and a payment counts
        from the hand-off on.)"""
        invoices = ["invoice_halles_1_demo", "invoice_halles_2_demo"]
        self._remind(invoices, 100, delivered=True)
        self._remind(invoices, 82, delivered=True, posted=True)
        self._remind(
            invoices,
            62,
            delivered=True,
            posted=True,
            registered={"number": "1A 187 552 0678 2", "ack_days_ago": 59},
        )
        wizard = self.env["account.dunning.handoff.wizard"].create(
            {
                "partner_id": partner.id,
                "send_method": "email",
                "note": "Dossier Atlantique Recouvrement n° AR-2025-0412.",
            }
        )
        wizard.action_confirm()
        invoice = self.env.ref("account_dunning.invoice_halles_1_demo")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": 1000.0, "payment_date": fields.Date.context_today(self)}
        )._create_payments()
        return partner.dunning_litigation_id
