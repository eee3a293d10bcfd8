# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon

USERS = "Only payment reminder users may"
NUMBER = "1A 123 456 7890 1"


@tagged("post_install", "-at_install")
class TestDunningRegistered(DunningCommon):
    """Registered letters and formal notices: the registered-mail number
    asked by Mark as Posted, the acknowledgement of receipt or the letter
    returned unclaimed, the deadline of the formal notice (the day it
    reached the customer + 8 days) on the reminder and the customer, and
    the daily job's activity once it passed unpaid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.notice.letter_registered = True
        address = {"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"}
        cls.customer.write(address)
        cls.other = cls.env["res.partner"].create(
            {"name": "Martin SA", "is_company": True, "email": "ap@martin.test", **address}
        )
        cls.user = cls._user("registered_user", "account.group_account_invoice")
        cls.auditor = cls._user(
            "registered_auditor", "base.group_user,account.group_account_readonly"
        )
        cls.customer.with_company(cls.company).dunning_responsible_id = cls.user

    def _notice(self, partner=None, amount=1000, due="2026-01-15", channels=None):
        """The formal notice of an invoice of ``partner`` already reminded
        at the second level, by email and registered letter (``channels``
        changed): a letter to post."""
        invoice = self._invoice(amount, due, partner=partner)
        invoice.sudo().write({"dunning_level_id": self.second.id, "dunning_count": 2})
        Dunning = self.env["account.dunning"]
        proposals = Dunning._prepare_proposals(self._state(invoice))
        for proposal in proposals:
            proposal.update(channels or {})
        notice = Dunning._create_reminders(proposals)
        self.assertEqual(notice.level_id, self.notice)
        self.assertEqual(notice.letter_state, "to_post")
        return notice

    def _plain_letter(self, name="Martin SA"):
        """A second reminder of a new customer by simple letter."""
        partner = self.other.copy({"name": name})
        invoice = self._invoice(300, "2026-01-30", partner=partner)
        Dunning = self.env["account.dunning"]
        proposal = Dunning._prepare_proposals(self._state(invoice))[0]
        proposal.update(send_email=False, send_letter=True)
        letter = Dunning._create_reminders([proposal])
        self.assertEqual(letter.level_id, self.second)
        self.assertFalse(letter.registered_letter)
        return letter

    def _post(self, notice, number=NUMBER):
        notice._mark_letters_posted({notice.id: number})

    def _record(self, notice, outcome, ack_date=None, presented_date=None, user=None):
        """Record Acknowledgement on ``notice``, as ``user`` fills the form."""
        action = notice.with_user(user or self.user).action_record_receipt()
        wizard = self.env[action["res_model"]].with_user(user or self.user).browse(action["res_id"])
        with Form(wizard) as form:
            self.assertEqual(form.registered_number, notice.registered_number)
            form.outcome = outcome
            if ack_date:
                form.ack_date = date.fromisoformat(ack_date)
            if presented_date:
                form.presented_date = date.fromisoformat(presented_date)
        wizard.action_record()

    def _run_job(self):
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)

    def _litigation_activities(self, notice):
        return notice.activity_ids.filtered(
            lambda activity: activity.summary
            == "Formal notice deadline passed unpaid: decide on litigation"
        )

    # ------------------------------------------------------------------
    # Mark as Posted
    # ------------------------------------------------------------------

    @freeze_time("2026-03-02")
    def test_mark_as_posted_asks_the_number_of_registered_letters(self):
        notice = self._notice()
        plain = self._plain_letter()
        letters = (notice | plain).with_user(self.user)
        action = letters.action_mark_posted()
        self.assertEqual(action["res_model"], "account.dunning.post.wizard")
        wizard = self.env[action["res_model"]].with_user(self.user).browse(action["res_id"])
        # the registered letter first, one line per letter
        self.assertEqual(wizard.line_ids.dunning_id.ids, [notice.id, plain.id])
        self.assertEqual(wizard.line_ids.mapped("registered_letter"), [True, False])
        # without the number of the registered letter: refused, nothing posted
        with self.assertRaisesText(UserError, f"registered letter: {notice.name}"):
            wizard.action_confirm()
        self.assertEqual((notice | plain).mapped("letter_state"), ["to_post", "to_post"])
        with Form(wizard) as form:
            with form.line_ids.edit(0) as line:
                line.registered_number = f"  {NUMBER} "
        wizard.action_confirm()
        self.assertEqual((notice | plain).mapped("letter_state"), ["posted", "posted"])
        self.assertEqual(notice.registered_number, NUMBER)
        self.assertEqual(notice.letter_posted_date, date(2026, 3, 2))
        # the simple letter is posted without a number
        self.assertFalse(plain.registered_number)
        self.assertEqual(plain.letter_posted_date, date(2026, 3, 2))
        # a simple letter alone is posted at once, as before
        other = self._plain_letter("Leroy SARL")
        self.assertFalse(other.with_user(self.user).action_mark_posted())
        self.assertEqual(other.letter_state, "posted")

    # ------------------------------------------------------------------
    # The deadline
    # ------------------------------------------------------------------

    def test_acknowledgement_gives_the_deadline(self):
        with freeze_time("2026-03-02"):
            notice = self._notice()
            self._post(notice)
            self.assertEqual(notice.notice_days, 8)
            # posted, not back yet: the day it reaches the customer is unknown
            self.assertFalse(notice.notice_deadline)
            customer = self.customer.with_user(self.user)
            self.assertEqual(customer.dunning_notice_id, notice)
            self.assertFalse(customer.dunning_notice_deadline)
        with freeze_time("2026-03-05"):
            with self.assertRaisesText(ValidationError, "between that day and today"):
                self._record(notice, "acknowledged", ack_date="2026-03-01")  # before posting
            with self.assertRaisesText(ValidationError, "between that day and today"):
                self._record(notice, "acknowledged", ack_date="2026-03-06")  # tomorrow
            self._record(notice, "acknowledged", ack_date="2026-03-04")
        self.assertEqual(notice.registered_ack_date, date(2026, 3, 4))
        # signed on 4 March + 8 days: 12 March
        self.assertEqual(notice.notice_date, date(2026, 3, 4))
        self.assertEqual(notice.notice_deadline, date(2026, 3, 12))
        self.customer.invalidate_recordset(["dunning_notice_id", "dunning_notice_deadline"])
        self.assertEqual(
            self.customer.with_user(self.user).dunning_notice_deadline, date(2026, 3, 12)
        )
        # a level changed later does not change the notices it sent
        self.notice.notice_days = 15
        self.assertEqual(notice.notice_deadline, date(2026, 3, 12))
        # both signed and returned: refused
        with self.assertRaisesText(ValidationError, "not both"):
            notice.with_user(self.user).registered_returned = True

    def test_returned_unclaimed_counts_from_the_first_presentation(self):
        with freeze_time("2026-03-02"):
            first = self._notice()
            second = self._notice(partner=self.other)
            self._post(first)
            self._post(second, number="1A 999 888 7776 5")
        with freeze_time("2026-03-20"):
            self._record(first, "returned", presented_date="2026-03-04")
            self._record(second, "returned")
        self.assertTrue(first.registered_returned)
        # first presented on 4 March + 8 days: 12 March
        self.assertEqual(first.notice_deadline, date(2026, 3, 12))
        # first presentation unknown: the day it was posted, 2 March + 8 days
        self.assertFalse(second.registered_presented_date)
        self.assertEqual(second.notice_deadline, date(2026, 3, 10))

    def test_formal_notice_by_simple_letter(self):
        """A formal notice whose level does not send registered letters is
        posted without a number; it reaches the customer, as far as anyone
        can prove, the day it is posted."""
        self.notice.letter_registered = False
        with freeze_time("2026-03-02"):
            notice = self._notice(channels={"send_email": False})
            self.assertFalse(notice.registered_letter)
            self.assertFalse(notice.notice_deadline)
        with freeze_time("2026-03-03"):
            self.assertFalse(notice.with_user(self.user).action_mark_posted())
        self.assertEqual(notice.letter_state, "posted")
        self.assertFalse(notice.registered_number)
        # posted on 3 March + 8 days
        self.assertEqual(notice.notice_deadline, date(2026, 3, 11))
        with self.assertRaisesText(UserError, "no registered letter"):
            notice.with_user(self.user).action_record_receipt()

    # ------------------------------------------------------------------
    # The daily job
    # ------------------------------------------------------------------

    def test_daily_job_activity_once_when_the_deadline_passed_unpaid(self):
        with freeze_time("2026-03-02"):
            notice = self._notice()
            paid = self._notice(partner=self.other)
            self._post(notice)
            self._post(paid, number="1A 999 888 7776 5")
        with freeze_time("2026-03-04"):
            self._record(notice, "acknowledged", ack_date="2026-03-04")
            self._record(paid, "acknowledged", ack_date="2026-03-04")
            self._pay(paid.line_ids.move_id, 1000, "2026-03-04")
        with freeze_time("2026-03-12"):
            # the last day to pay: not passed yet
            self._run_job()
            self.assertFalse(self._litigation_activities(notice))
        with freeze_time("2026-03-13"):
            self._run_job()
            self._run_job()
        activity = self._litigation_activities(notice)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user)
        self.assertEqual(activity.date_deadline, date(2026, 3, 13))
        self.assertIn(notice.name, activity.note)
        # paid by the deadline: no activity
        self.assertFalse(self._litigation_activities(paid))
        # done, it does not come back
        activity.action_feedback(feedback="Handed to the lawyer")
        with freeze_time("2026-03-14"):
            self._run_job()
        self.assertFalse(self._litigation_activities(notice))

    def test_no_activity_for_a_disputed_or_cancelled_notice(self):
        with freeze_time("2026-03-02"):
            disputed = self._notice()
            cancelled = self._notice(partner=self.other)
            self._post(disputed)
            self._post(cancelled, number="1A 999 888 7776 5")
        with freeze_time("2026-03-04"):
            self._record(disputed, "acknowledged", ack_date="2026-03-04")
            self._record(cancelled, "acknowledged", ack_date="2026-03-04")
            dispute = self.env["account.dunning.dispute"].create(
                {"move_id": disputed.line_ids.move_id.id, "reason": "quantity"}
            )
            cancelled.with_user(self.user).action_cancel()
        self.assertFalse(cancelled.notice_deadline)
        with freeze_time("2026-03-13"):
            self._run_job()
        self.assertFalse(self._litigation_activities(disputed))
        self.assertFalse(self._litigation_activities(cancelled))
        # the dispute resolved, still unpaid: the responsible is told
        with freeze_time("2026-03-16"):
            dispute.action_resolve()
        with freeze_time("2026-03-16"):
            self._run_job()
        self.assertEqual(len(self._litigation_activities(disputed)), 1)

    # ------------------------------------------------------------------
    # Legal interest of consumers
    # ------------------------------------------------------------------

    def test_consumer_interest_runs_from_the_acknowledgement(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.customer.write({"is_company": False, "dunning_customer_type": "individual"})
        with freeze_time("2026-04-10"):
            invoice = self._invoice(1000, "2026-03-01", invoice_date="2026-02-01", currency=eur)
            invoice.sudo().write({"dunning_level_id": self.second.id, "dunning_count": 2})
            notice = self._remind(self._state(invoice))
            self._post(notice)
        with freeze_time("2026-05-10"):
            # waiting for the acknowledgement: from the day it was sent, 30
            # days at 2.62 %: 1000 x 2.62 % x 30 / 365 = 2.1534
            self.assertEqual(invoice._get_dunning_charges()[invoice.id]["penalty"], 2.15)
            self._record(notice, "acknowledged", ack_date="2026-04-14")
            # signed on 14 April: 26 days, 1000 x 2.62 % x 26 / 365 = 1.8663
            self.assertEqual(invoice._get_dunning_charges()[invoice.id]["penalty"], 1.87)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    @freeze_time("2026-03-02")
    def test_readers_and_other_companies_are_refused(self):
        notice = self._notice()
        as_auditor = notice.with_user(self.auditor)
        with self.assertRaisesText(AccessError, f"{USERS} mark letters as posted"):
            as_auditor.action_mark_posted()
        with self.assertRaisesText(AccessError, f"{USERS} mark letters as posted"):
            as_auditor._mark_letters_posted({notice.id: NUMBER})
        self._post(notice)
        with self.assertRaisesText(AccessError, f"{USERS} record acknowledgement"):
            as_auditor.action_record_receipt()
        with self.assertRaisesText(AccessError, f"{USERS} record the registered letters'"):
            as_auditor.write({"registered_ack_date": "2026-03-02"})
        self.assertFalse(notice.registered_ack_date)
        # a reminder user of company B only
        company_b = self.setup_other_company(name="Registered B")["company"]
        user_b = new_test_user(
            self.env,
            login="registered_user_b",
            groups="account.group_account_invoice",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        letter = self._plain_letter()
        with self.assertRaises(AccessError):
            letter.with_user(user_b).action_mark_posted()
        # the form, made over RPC with company A's letter in it, is refused
        Wizard = self.env["account.dunning.post.wizard"].with_user(user_b)
        with self.assertRaises(AccessError):
            Wizard.create({"line_ids": [Command.create({"dunning_id": letter.id})]})
        with self.assertRaises(AccessError):
            notice.with_user(user_b).action_record_receipt()
        with self.assertRaises(AccessError):
            notice.with_user(user_b).write({"registered_number": "forged"})
        self.assertEqual(letter.letter_state, "to_post")
        self.assertEqual(notice.registered_number, NUMBER)
