# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningGapsPeople(DunningCommon, MockEmail):
    """The module's own rules about people: the reminder contact's language
    before the customer's, a contact following its company's plan, and the
    activities that only ever go to an active internal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.first.write(
            {
                "send_email": True,
                "send_letter": True,
                "attach_invoices": False,
                "attach_letter": False,
            }
        )
        # the texts of the email and of the letter, in English and in French:
        # the test's own, so that what the customer reads is known here
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Test reminder email",
                "model_id": cls.env["ir.model"]._get_id("account.dunning"),
                "subject": "Unpaid invoices ({{ object.name }})",
                "email_from": "credit@company.test",
                "email_to": "{{ object.email }}",
                "lang": "{{ object.lang }}",
                "body_html": "<p>Dear customer, please pay.</p>",
                "auto_delete": False,
            }
        )
        cls.template.with_context(lang="fr_FR").write(
            {
                "subject": "Factures impayées ({{ object.name }})",
                "body_html": "<p>Cher client, merci de régler.</p>",
            }
        )
        cls.first.mail_template_id = cls.template
        cls.first.with_context(lang="en_US").letter_subject = "Overdue invoices"
        cls.first.with_context(lang="fr_FR").letter_subject = "Factures échues"

    # ------------------------------------------------------------------
    # The contact's language before the customer's
    # ------------------------------------------------------------------

    def _customer_with_contact(self, name, customer_lang, contact_lang):
        customer = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "lang": customer_lang,
                "email": f"boss@{name.lower()}.test",
                "street": "1 rue du Port",
                "city": "Brest",
            }
        )
        contact = self.env["res.partner"].create(
            {
                "name": f"Accounts of {name}",
                "parent_id": customer.id,
                "type": "dunning",
                "lang": contact_lang,
                "email": f"ap@{name.lower()}.test",
            }
        )
        return customer, contact

    @freeze_time("2026-04-20")
    def test_email_and_letter_in_the_contact_language(self):
        # a French customer whose accounts department reads English, and
        # an English customer whose accounts department reads French
        french, english_contact = self._customer_with_contact("Lefort", "fr_FR", "en_US")
        english, french_contact = self._customer_with_contact("Smith", "en_US", "fr_FR")
        to_french = self._invoice(100, "2026-04-05", partner=french)  # 15 days: first
        to_english = self._invoice(100, "2026-04-05", partner=english)
        with self.mock_mail_gateway():
            reminder_en = self._remind(to_french)
            reminder_fr = self._remind(to_english)
            (reminder_en + reminder_fr).mail_id.send()
        self.assertEqual(reminder_en.contact_id, english_contact)
        self.assertEqual(reminder_fr.contact_id, french_contact)
        # the email, as it left
        sent = {mail["email_to"][0]: mail for mail in self._mails}
        self.assertEqual(sent["ap@lefort.test"]["subject"], f"Unpaid invoices ({reminder_en.name})")
        self.assertIn("Dear customer", sent["ap@lefort.test"]["body"])
        self.assertEqual(
            sent["ap@smith.test"]["subject"], f"Factures impayées ({reminder_fr.name})"
        )
        self.assertIn("Cher client", sent["ap@smith.test"]["body"])
        # the letter
        letter_en = reminder_en.letter_attachment_id.raw.decode()
        letter_fr = reminder_fr.letter_attachment_id.raw.decode()
        self.assertIn("Overdue invoices", letter_en)
        self.assertNotIn("Factures échues", letter_en)
        self.assertIn("Factures échues", letter_fr)
        self.assertNotIn("Overdue invoices", letter_fr)

    # ------------------------------------------------------------------
    # A contact follows its company's plan
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_contact_follows_its_company_plan(self):
        own_plan = self.env["account.dunning.plan"].create(
            {
                "name": "Key accounts",
                "company_id": self.company.id,
                "partner_type": "all",
                "level_ids": [
                    Command.create({"name": "Courtesy call", "days": 3}),
                    Command.create({"name": "Director's letter", "days": 30}),
                ],
            }
        )
        courtesy = own_plan.level_ids.filtered(lambda level: level.days == 3)
        key_account = self.env["res.partner"].create(
            {"name": "Key Account SA", "is_company": True, "dunning_plan_id": own_plan.id}
        )
        # a person of the company, with no plan of its own
        buyer = self.env["res.partner"].create(
            {"name": "Jeanne Achat", "parent_id": key_account.id, "email": "j@key.test"}
        )
        self.assertFalse(buyer.dunning_plan_id)
        plans = buyer._get_dunning_plan(self.company)
        self.assertEqual(plans, {key_account.id: own_plan})
        # the invoice addressed to the person follows the company's plan:
        # 6 days late is the key accounts' first level, and nothing yet on
        # the default plan (its first reminder is at 10 days)
        invoice = self._invoice(100, "2026-04-14", partner=buyer)
        self._state(invoice)
        self.assertEqual(invoice.dunning_plan_id, own_plan)
        self.assertEqual(invoice.dunning_advised_level_id, courtesy)
        self.assertTrue(invoice.dunning_to_remind)

    # ------------------------------------------------------------------
    # Activities go to an active internal user only
    # ------------------------------------------------------------------

    @classmethod
    def _gone_user(cls, login):
        """An internal user who left: archived."""
        user = cls._user(login, "account.group_account_invoice")
        user.active = False
        return user

    @classmethod
    def _portal_user(cls, login):
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _assert_usable(self, user, *refused):
        self.assertTrue(user)
        self.assertTrue(user.active)
        self.assertFalse(user.share)
        self.assertNotIn(user, self.env["res.users"].concat(*refused))

    @freeze_time("2026-04-20")
    def test_activities_never_go_to_an_archived_or_portal_user(self):
        gone = self._gone_user("gone_controller")
        portal = self._portal_user("portal_agent")
        seller = self._user("active_seller", "account.group_account_invoice")
        manager = self._user("dunning_boss", "account_dunning.group_dunning_manager")
        self.company.dunning_responsible_id = False
        self.second.write(
            {
                "send_email": False,
                "create_activity": True,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
            }
        )
        # its responsible left; its salesperson is active: the salesperson
        left = self.env["res.partner"].create(
            {"name": "Left SARL", "is_company": True, "user_id": seller.id}
        )
        left.dunning_responsible_id = gone
        # its responsible is a portal user; its salesperson left: a manager
        outside = self.env["res.partner"].create(
            {"name": "Outside SARL", "is_company": True, "user_id": gone.id}
        )
        outside.dunning_responsible_id = portal
        # its responsible is a portal user, the salesperson is active
        shared = self.env["res.partner"].create(
            {"name": "Shared SARL", "is_company": True, "user_id": seller.id}
        )
        shared.dunning_responsible_id = portal
        calls = {}
        for partner in (left, outside, shared):
            invoice = self._invoice(100, "2026-03-25", partner=partner)  # 26 days: second
            reminder = self._remind(invoice)
            self.assertEqual(reminder.level_id, self.second)
            calls[partner] = reminder.activity_ids
            self.assertEqual(len(calls[partner]), 1)
        self.assertEqual(calls[left].user_id, seller)
        self.assertEqual(calls[shared].user_id, seller)
        self._assert_usable(calls[outside].user_id, gone, portal)
        self.assertIn(
            self.env.ref("account_dunning.group_dunning_manager"), calls[outside].user_id.groups_id
        )
        # Customer Accounts, which finds the responsible in SQL, names the same
        self.env.flush_all()
        rows = self.env["account.dunning.customer"].search(
            [
                ("partner_id", "in", (left + outside + shared).ids),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(
            {row.partner_id: row.responsible_id for row in rows},
            {left: seller, outside: calls[outside].user_id, shared: seller},
        )
        # a company responsible who left is passed over as well
        self.company.dunning_responsible_id = gone
        self.assertEqual(left._get_dunning_responsibles(self.company)[left.id], seller)
        self.company.dunning_responsible_id = manager
        self.assertEqual(left._get_dunning_responsibles(self.company)[left.id], manager)

    @freeze_time("2026-04-20")
    def test_daily_job_activities_never_go_to_an_archived_or_portal_user(self):
        gone = self._gone_user("gone_clerk")
        portal = self._portal_user("portal_clerk")
        seller = self._user("job_seller", "account.group_account_invoice")
        self.company.dunning_responsible_id = False
        # manual mode: the job schedules "Payment reminder to send"
        left = self.env["res.partner"].create(
            {"name": "Left Job SARL", "is_company": True, "user_id": seller.id}
        )
        left.dunning_responsible_id = gone
        shared = self.env["res.partner"].create(
            {"name": "Portal Job SARL", "is_company": True, "user_id": portal.id}
        )
        shared.dunning_responsible_id = gone
        self._invoice(100, "2026-04-05", partner=left)
        self._invoice(100, "2026-04-05", partner=shared)
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        self.assertFalse(
            self.env["account.dunning"].search([("partner_id", "in", (left + shared).ids)])
        )
        self.assertEqual(self._job_activities(left).user_id, seller)
        self._assert_usable(self._job_activities(shared).user_id, gone, portal)
