# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

from odoo import api, fields, models

# the invoices of demo/account_dunning_portal_demo.xml, oldest first
PORTAL_DEMO_INVOICES = [
    "account_dunning_portal.invoice_quais_1_demo",
    "account_dunning_portal.invoice_quais_2_demo",
    "account_dunning_portal.invoice_quais_3_demo",
    "account_dunning_portal.invoice_quais_4_demo",
]
# the main demo's crons that must have run first: its history makes its
# reminders only while the company has none, then the daily job runs
MAIN_DEMO_CRONS = [
    "account_dunning.ir_cron_dunning_demo_history",
    "account_dunning.ir_cron_dunning",
]


class AccountDunningDemo(models.AbstractModel):
    _inherit = "account.dunning.demo"

    @api.model
    def _portal_demo_waits(self):
        """Whether the main demo's history or the daily job it starts is
        still to run: the main history is made only in a company without
        reminders, so this demo's reminder comes after it."""
        crons = (
            self.env["ir.cron"]
            .sudo()
            .browse([cron.id for xmlid in MAIN_DEMO_CRONS if (cron := self.env.ref(xmlid, False))])
        )
        return bool(
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [
                    ("cron_id", "in", crons.filtered("active").ids),
                    ("call_at", "<=", fields.Datetime.now()),
                ]
            )
        )

    @api.model
    def _portal_demo(self):
        """Librairie des Quais: a first reminder four days ago, by email;
        on the reminder's page, the customer promised to pay its oldest
        invoice, disputed the quantities of the second one, then wrote to
        ask for a call. Run once by a cron once the main demo's history and
        the daily job have run (tried again in a minute until then)."""
        if self._portal_demo_waits():
            self.env.ref("account_dunning_portal.ir_cron_dunning_portal_demo")._trigger(
                fields.Datetime.now() + timedelta(minutes=1)
            )
            return False
        moves = self.env["account.move"].browse(
            [self.env.ref(xmlid).id for xmlid in PORTAL_DEMO_INVOICES]
        )
        if self.env["account.dunning"].search_count([("line_ids.move_id", "in", moves.ids)]):
            return False
        promised, disputed = moves[0], moves[1]
        customer = moves.commercial_partner_id
        today = fields.Date.context_today(self)

        # the reminder, by email, delivered, four days ago
        since = self._last_message_id()
        Engine = self.env["account.dunning.engine"]
        reminder = Engine._create_reminders(Engine._prepare_proposals(moves))
        mails = reminder.mail_id.sudo()
        mails.write({"state": "sent"})
        mails._postprocess_sent_message(success_pids=mails.recipient_ids.ids)
        self._date_back(reminder, 4, since)
        # the daily job may have asked the responsible to remind them
        customer.activity_unlink(["account_dunning.mail_activity_type_dunning"])

        # what the customer did on the page, through the page's own methods,
        # as its requests call them (the public user, the reminder found by
        # its link)
        page = reminder.with_user(self.env.ref("base.public_user")).sudo()
        since = self._last_message_id()
        page._portal_promise(
            promised.ids,
            today + timedelta(days=10),
            promised.amount_residual,
            "Virement prévu à réception du paiement de notre subvention régionale.",
        )
        self._date_messages(since, 3)
        since = self._last_message_id()
        page._portal_dispute(
            disputed.id,
            "quantity",
            "Nous avons reçu 2 lecteurs sur les 3 facturés : le troisième n'a jamais été "
            "livré (voir notre bon de réception du 12).",
        )
        self._date_messages(since, 2)
        since = self._last_message_id()
        page._portal_message(
            "Bonjour, pourriez-vous nous rappeler au sujet du contrat d'assistance ? "
            "Nous souhaitons le payer en deux fois.",
            call_back=True,
            phone="+33 5 56 44 21 90",
        )
        self._date_messages(since, 1)

        # its page opened three days ago, last yesterday; the requests of
        # those days do not count in this hour's limit
        reminder.sudo().write(
            {
                "portal_first_seen": datetime.combine(today - timedelta(days=3), time(8, 20)),
                "portal_last_seen": datetime.combine(today - timedelta(days=1), time(8, 25)),
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE account_dunning_portal_submission
               SET create_date = create_date - CASE kind WHEN 'promise' THEN interval '3 days'
                                                         WHEN 'dispute' THEN interval '2 days'
                                                         ELSE interval '1 day' END
             WHERE reminder_id = %s
            """,
            [reminder.id],
        )
        self.env["account.dunning.portal.submission"].invalidate_model(["create_date"])
        return reminder
