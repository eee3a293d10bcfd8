# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.dunning_tools import try_advisory_locks
from .common import DunningCommon

# Every test runs on this day (a Monday): the last 12 months are the
# payments of 2025-06-16 to 2026-06-15, the 12 months before those of
# 2024-06-16 to 2025-06-15.
TODAY = "2026-06-15"


@tagged("post_install", "-at_install")
class TestDunningPaymentBehaviour(DunningCommon):
    """How customers pay (average days late weighted by amount, the trend,
    the share paid on time, a grade), when their open invoices will likely
    be paid, and whom to chase first: figures computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Move = cls.env["account.move"]
        cls.company.write(
            {
                "dunning_grade_a_days": 5,
                "dunning_grade_a_on_time": 80,
                "dunning_grade_b_days": 15,
                "dunning_grade_c_days": 45,
            }
        )
        cls.user = cls._user("behaviour_user", "account.group_account_invoice")
        cls.reader = cls._user("behaviour_reader", "account.group_account_readonly")

    def _customer(self, name):
        return self.Partner.create({"name": name, "is_company": True})

    def _paid(self, amount, due, paid, partner, currency=None, company=None):
        """An invoice of ``amount`` due on ``due``, paid in full on ``paid``."""
        due, paid = date.fromisoformat(due), date.fromisoformat(paid)
        invoice_date = min(due, paid) - timedelta(days=30)
        if company:
            invoice = self.Move.with_company(company).create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "date": invoice_date,
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Services", "quantity": 1, "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            )
            invoice.action_post()
            self.env["account.payment.register"].with_company(company).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount, "payment_date": paid})._create_payments()
        else:
            invoice = self._invoice(
                amount, due, partner=partner, invoice_date=invoice_date, currency=currency
            )
            self._pay(invoice, amount, paid)
        self.assertEqual(invoice.payment_state, "paid")
        return invoice

    def _refresh(self, company=None):
        Partner = self.Partner.with_company(company or self.company)
        result = Partner._dunning_refresh_payment_behaviour()
        self.env.invalidate_all()
        return result

    def _of(self, partner, company=None):
        partner = partner.with_company(company or self.company)
        return (
            partner.dunning_avg_days_late,
            partner.dunning_avg_days_late_before,
            partner.dunning_on_time_rate,
            partner.dunning_grade,
        )

    def _late_payer(self):
        """Pays 10 days late on 1,000 and 40 days late on 3,000 in the last
        12 months, 5 days late on 2,000 the year before."""
        customer = self._customer("Retard SA")
        self._paid(1000, "2026-03-01", "2026-03-11", customer)
        self._paid(3000, "2026-04-01", "2026-05-11", customer)
        self._paid(2000, "2025-03-01", "2025-03-06", customer)
        return customer

    @freeze_time(TODAY)
    def test_weighted_average_trend_and_grade(self):
        customer = self._late_payer()
        result = self._refresh()
        self.assertEqual(result["customers"], 1)
        # (1,000 x 10 + 3,000 x 40) / 4,000 = 32.5 days; the year before 5;
        # none of the two paid on time; 15 < 32.5 <= 45: grade C
        self.assertEqual(self._of(customer), (32.5, 5.0, 0.0, "C"))
        self.assertEqual(
            customer.with_company(self.company).dunning_grade_explanation,
            "Pays 33 days late on average, weighted by amount; 0 % paid on time; "
            "worse than last year (5 days)",
        )
        # the company: the same, as it has one customer who paid
        self.assertEqual(self.company.dunning_avg_days_late, 32.5)
        self.assertTrue(self.company.dunning_behaviour_date)
        # a contact of the customer reads its company's figures
        contact = self.Partner.create({"name": "Jean", "parent_id": customer.id})
        self.assertIn("33 days late", contact.with_company(self.company).dunning_grade_explanation)
        # in French, in one sentence with French punctuation
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        customer.invalidate_recordset(["dunning_grade_explanation"])
        self.assertEqual(
            customer.with_company(self.company)
            .with_context(lang="fr_FR")
            .dunning_grade_explanation,
            "Paie avec 33 jours de retard en moyenne, pondérée par les montants ; "
            "0 % payées à l'échéance ; moins bien que l'an dernier (5 jours)",
        )

    @freeze_time(TODAY)
    def test_on_time_rate_and_trend_words(self):
        customer = self._customer("Ponctuel SARL")
        # 3 of 4 installments paid by their due date (one 6 days early: 0 days,
        # not -6), one 2 days late: (0 + 0 + 0 + 1,000 x 2) / 4,000 = 0.5 day
        self._paid(1000, "2026-01-10", "2026-01-10", customer)
        self._paid(1000, "2026-02-10", "2026-02-04", customer)
        self._paid(1000, "2026-03-10", "2026-03-09", customer)
        self._paid(1000, "2026-04-10", "2026-04-12", customer)
        # the year before: 1 day late on average, rounded like 0.5 (1 day)
        self._paid(500, "2025-02-10", "2025-02-11", customer)
        self._refresh()
        # 0.5 day <= 5 but 75 % on time < 80 %: B
        self.assertEqual(self._of(customer), (0.5, 1.0, 0.75, "B"))
        self.assertEqual(
            customer.with_company(self.company).dunning_grade_explanation,
            "Pays 1 day late on average, weighted by amount; 75 % paid on time; as last year",
        )
        # 75 % on time is enough for A once the threshold says so
        self.company.dunning_grade_a_on_time = 75
        self._refresh()
        self.assertEqual(self._of(customer)[3], "A")
        # a customer paying better than the year before
        better = self._customer("Mieux SAS")
        self._paid(1000, "2026-01-10", "2026-01-20", better)
        self._paid(1000, "2025-01-10", "2025-02-09", better)
        self._refresh()
        self.assertEqual(self._of(better), (10.0, 30.0, 0.0, "B"))
        self.assertIn(
            "better than last year (30 days)",
            better.with_company(self.company).dunning_grade_explanation,
        )

    def test_grade_thresholds(self):
        Behaviour = self.env["account.dunning.behaviour"]
        thresholds = Behaviour._get_grade_thresholds(self.company)
        self.assertEqual(thresholds, (5, 0.8, 15, 45))
        cases = [
            ((None, 0.0), None),
            ((5.0, 0.8), "A"),  # both at A's thresholds
            ((5.0, 0.79), "B"),  # on time too seldom for A
            ((5.01, 1.0), "B"),
            ((15.0, 0.0), "B"),
            ((15.01, 1.0), "C"),
            ((45.0, 0.0), "C"),
            ((45.01, 1.0), "D"),
        ]
        for (days, rate), grade in cases:
            self.assertEqual(Behaviour._get_grade(days, rate, thresholds), grade, (days, rate))
        with self.assertRaises(ValidationError):
            self.company.dunning_grade_b_days = 60  # above C's 45
        with self.assertRaises(ValidationError):
            self.company.dunning_grade_a_on_time = 120

    @freeze_time(TODAY)
    def test_predicted_payment_date(self):
        late = self._late_payer()  # 32.5 days late on 4,000
        steady = self._customer("Régulier SA")
        # 4,000 paid 0.5 day late on average (see above): 2 days late on 1,000
        self._paid(3000, "2026-01-10", "2026-01-10", steady)
        self._paid(1000, "2026-04-10", "2026-04-12", steady)
        newcomer = self._customer("Nouveau SARL")
        open_late = self._invoice(800, "2026-06-10", partner=late, invoice_date="2026-05-10")
        open_steady = self._invoice(800, "2026-06-10", partner=steady, invoice_date="2026-05-10")
        open_new = self._invoice(800, "2026-06-20", partner=newcomer, invoice_date="2026-05-20")
        self._refresh()
        # the company: (130,000 + 2,000) / 8,000 = 16.5 days
        self.assertEqual(self.company.dunning_avg_days_late, 16.5)
        moves = (open_late | open_steady | open_new).with_company(self.company)
        # 2026-06-10 + 33 days (32.5 rounded half up); + 1 day (0.5); the
        # newcomer without history: 2026-06-20 + 17 days (the company's 16.5)
        self.assertEqual(
            [str(move.dunning_predicted_date) for move in moves],
            ["2026-07-13", "2026-06-11", "2026-07-07"],
        )
        # steady: 0.5 day late but 75 % on time: B
        self.assertEqual(moves.mapped("dunning_grade"), ["C", "B", False])
        self.assertFalse(newcomer.with_company(self.company).dunning_grade)
        # the worklist sorts and groups by them
        Move = self.Move.with_user(self.user)
        self.assertEqual(
            Move.search([("id", "in", moves.ids)], order="dunning_predicted_date desc").ids,
            [open_late.id, open_new.id, open_steady.id],
        )
        groups = Move._read_group([("id", "in", moves.ids)], ["dunning_grade"], ["__count"])
        self.assertEqual(dict(groups), {"B": 1, "C": 1, False: 1})
        # and opens the groups: a search on each
        domain = [("id", "in", moves.ids)]
        self.assertEqual(Move.search(domain + [("dunning_grade", "=", False)]), open_new)
        self.assertEqual(Move.search(domain + [("dunning_grade", "in", ["C", "D"])]), open_late)
        self.assertEqual(
            Move.search(domain + [("dunning_predicted_date", ">=", "2026-07-06")]),
            open_late | open_new,
        )
        # due 5 days ago, both; the newcomer's not yet
        self.assertEqual(
            Move.search(domain + [("dunning_priority", ">", 0)]), open_late | open_steady
        )
        # paid: no prediction any more
        self._pay(open_steady, 800, "2026-06-15")
        self.assertFalse(open_steady.dunning_predicted_date)

    @freeze_time(TODAY)
    def test_no_history_left(self):
        customer = self._late_payer()
        self._refresh()
        self.assertEqual(self._of(customer)[3], "C")
        # two years later, nothing paid since: no grade, no figures
        with freeze_time("2028-07-01"):
            self._refresh()
            self.assertEqual(self._of(customer), (0.0, 0.0, 0.0, False))
            self.assertFalse(customer.with_company(self.company).dunning_grade_explanation)
            self.assertEqual(self.company.dunning_avg_days_late, 0.0)
            self.env.cr.execute(
                SQL(
                    "SELECT dunning_grade, dunning_avg_days_late FROM res_partner WHERE id = %s",
                    customer.id,
                )
            )
            self.assertEqual(self.env.cr.fetchone(), (None, None))
            # no history at all: an open invoice is predicted on its due date
            invoice = self._invoice(100, "2028-06-30", partner=customer, invoice_date="2028-06-01")
            self.assertEqual(str(invoice.dunning_predicted_date), "2028-06-30")

    @freeze_time(TODAY)
    def test_per_company_without_leak(self):
        other = self.setup_other_company(name="Filiale Behaviour")["company"]
        self.env.user.company_ids |= other
        customer = self._late_payer()  # C here
        # in the other company it pays on time: A there
        self._paid(500, "2026-02-01", "2026-02-01", customer, company=other)
        self._refresh()
        self.assertEqual(self._of(customer)[3], "C")
        # not refreshed in the other company yet: nothing there
        self.assertEqual(self._of(customer, other), (0.0, 0.0, 0.0, False))
        self._refresh(other)
        self.assertEqual(self._of(customer, other), (0.0, 0.0, 1.0, "A"))
        self.assertEqual(other.dunning_avg_days_late, 0.0)
        # each company's refresh leaves the other's values alone
        self._refresh()
        self.assertEqual(self._of(customer), (32.5, 5.0, 0.0, "C"))
        self.assertEqual(self._of(customer, other)[3], "A")
        # an invoice reads its own company's grade, whatever the user's company
        there = self.Move.with_company(other).create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": date(2026, 6, 1),
                "invoice_date_due": date(2026, 6, 5),
                "invoice_line_ids": [
                    Command.create({"name": "X", "quantity": 1, "price_unit": 10, "tax_ids": []})
                ],
            }
        )
        there.action_post()
        here = self._invoice(10, "2026-06-05", partner=customer, invoice_date="2026-06-01")
        moves = self.Move.with_context(allowed_company_ids=[self.company.id, other.id]).browse(
            (here | there).ids
        )
        self.assertEqual(moves.mapped("dunning_grade"), ["C", "A"])
        # the other company's delay is its own average: 0 days
        self.assertEqual(
            [str(day) for day in moves.mapped("dunning_predicted_date")],
            ["2026-07-08", "2026-06-05"],
        )

    @freeze_time(TODAY)
    def test_weights_in_company_currency(self):
        foreign = self.setup_other_currency("EUR", rates=[("2024-01-01", 2.0)])
        customer = self._customer("Devises GmbH")
        # 1,000 EUR = 500 in company currency, 10 days late; 1,000 in company
        # currency, 40 days late: (500 x 10 + 1,000 x 40) / 1,500 = 30 days
        # (weighted in the invoices' currencies it would be 25)
        self._paid(1000, "2026-03-01", "2026-03-11", customer, currency=foreign)
        self._paid(1000, "2026-04-01", "2026-05-11", customer)
        self._refresh()
        self.assertEqual(self._of(customer), (30.0, 0.0, 0.0, "C"))

    @freeze_time(TODAY)
    def test_priorities(self):
        Behaviour = self.env["account.dunning.behaviour"]
        # graded D: paid 60 days late on 1,000 in the last 12 months
        bad = self._customer("Mauvais Payeur SA")
        self._paid(1000, "2026-01-01", "2026-03-02", bad)
        disputed = self._customer("Litige SARL")
        self._paid(1000, "2026-01-01", "2026-03-02", disputed)
        small = self._customer("Petit Client")
        promised = self._customer("Promesse SAS")
        not_due = self._customer("Pas Encore")
        big_late = self._invoice(5000, "2026-04-16", partner=bad, invoice_date="2026-03-16")
        big_disputed = self._invoice(
            5000, "2026-04-16", partner=disputed, invoice_date="2026-03-16"
        )
        little = self._invoice(200, "2026-06-05", partner=small, invoice_date="2026-05-05")
        held = self._invoice(2000, "2026-05-16", partner=promised, invoice_date="2026-04-16")
        future = self._invoice(9000, "2026-07-15", partner=not_due, invoice_date="2026-06-15")
        # a promise bad broke this year
        broken = self.env["account.dunning.promise"].create(
            {
                "partner_id": bad.id,
                "move_ids": [Command.set(big_late.ids)],
                "date": date(2026, 6, 15),
                "amount": 100,
            }
        )
        broken.sudo().write({"state": "broken", "date": date(2026, 5, 1)})
        self.env["account.dunning.dispute"].create({"move_id": big_disputed.id, "reason": "price"})
        self.env["account.dunning.promise"].create(
            {
                "partner_id": promised.id,
                "move_ids": [Command.set(held.ids)],
                "date": date(2026, 6, 25),
                "amount": 2000,
            }
        )
        self._refresh()
        moves = (big_late | big_disputed | little | held | future).with_user(self.user)
        # bad: 10 x log10(5,001) = 36.99 + 60 days / 4 = 15 + grade D 20 +
        # a promise broken 10 = 81.99 -> 82
        # disputed: (36.99 + 15 + 20) x 0.25 = 18.0 -> 18
        # small: 10 x log10(201) = 23.03 + 10 days / 4 = 2.5 -> 25.53 -> 26
        # promised: (10 x log10(2,001) = 33.01 + 30 days / 4 = 7.5) x 0.5 = 20.26 -> 20
        # not yet due: 0
        self.assertEqual(moves.mapped("dunning_priority"), [82, 18, 26, 20, 0])
        ordered = self.Move.with_user(self.user).search(
            [("id", "in", moves.ids)], order="dunning_priority desc, id"
        )
        self.assertEqual(ordered.ids, [big_late.id, little.id, held.id, big_disputed.id, future.id])
        self.assertEqual(
            big_late.with_user(self.user).dunning_priority_reasons,
            "$\xa05,000.00 overdue · 60 days late · grade D · promise broken",
        )
        self.assertIn("disputed", big_disputed.with_user(self.user).dunning_priority_reasons)
        self.assertIn("payment promised", held.with_user(self.user).dunning_priority_reasons)
        self.assertFalse(future.with_user(self.user).dunning_priority_reasons)
        # Customer Accounts: the same rule on each customer's invoices
        Customer = self.env["account.dunning.customer"].with_user(self.user)
        rows = Customer.search(
            [("partner_id", "in", (bad | disputed | small | promised | not_due).ids)],
            order="priority desc, id",
        )
        self.assertEqual(
            rows.partner_id.ids, [bad.id, small.id, promised.id, disputed.id, not_due.id]
        )
        self.assertEqual(rows.mapped("priority"), [82, 26, 20, 18, 0])
        self.assertEqual(rows.mapped("grade"), ["D", False, False, "D", False])
        self.assertEqual(Customer.search([("grade", "in", ("C", "D"))]).partner_id, bad | disputed)
        self.assertIn("grade D", rows[0].priority_reasons)
        # one rule: a customer's priority is its invoices' put together
        score, reasons = Behaviour._get_priority(
            {
                "amount_overdue": 5200,
                "days_late": 60,
                "grade": "C",
                "broken": 3,
                "amount_disputed": 5200,
            }
        )
        # (10 x log10(5,201) = 37.16 + 15 + 12 + 20 for 2 at most) x 0.25 = 21.04
        self.assertEqual(score, 21)
        self.assertEqual(
            [what for what, _value in reasons], ["overdue", "days", "grade", "broken", "disputed"]
        )

    @freeze_time(TODAY)
    def test_daily_job_refreshes(self):
        customer = self._late_payer()
        self.env["account.dunning"]._cron_process_reminders(companies=self.company)
        self.env.invalidate_all()
        self.assertEqual(self._of(customer)[3], "C")

    @freeze_time(TODAY)
    def test_expected_cash(self):
        late = self._late_payer()  # 33 days later than due
        overdue = self._invoice(1000, "2026-06-10", partner=late, invoice_date="2026-05-10")
        soon = self._invoice(400, "2026-06-24", partner=late, invoice_date="2026-05-24")
        self._invoice(300, "2026-08-31", partner=late, invoice_date="2026-06-01")  # too far
        self._refresh()
        Forecast = self.env["account.dunning.cash.forecast"].with_user(self.user)
        rows = Forecast.search([("partner_id", "=", late.id)])
        found = {(row.basis, str(row.week_start), row.move_id.id, row.amount) for row in rows}
        self.assertEqual(
            found,
            {
                # due on 2026-06-10, overdue: this week; predicted 2026-07-13
                ("due", "2026-06-15", overdue.id, 1000),
                ("predicted", "2026-07-13", overdue.id, 1000),
                # due on 2026-06-24 (week of 06-22); predicted 2026-07-27
                ("due", "2026-06-22", soon.id, 400),
                ("predicted", "2026-07-27", soon.id, 400),
                # due on 2026-08-31, predicted 2026-10-03: after the 8 weeks
                # (2026-06-15 to 2026-08-09)
            },
        )
        groups = Forecast._read_group([("partner_id", "=", late.id)], ["basis"], ["amount:sum"])
        self.assertEqual(dict(groups), {"due": 1400, "predicted": 1400})

    @freeze_time(TODAY)
    def test_rights(self):
        customer = self._late_payer()
        with self.assertRaises(AccessError):
            self.Partner.with_user(self.reader)._dunning_refresh_payment_behaviour()
        with self.assertRaises(AccessError):
            self.env["account.dunning.customer"].with_user(
                self.reader
            ).action_refresh_payment_behaviour()
        # a reminder user refreshes; a reader reads the grade
        action = (
            self.env["account.dunning.customer"]
            .with_user(self.user)
            .action_refresh_payment_behaviour()
        )
        self.assertIn("1 customers graded", action["params"]["message"])
        self.assertEqual(customer.with_user(self.reader).dunning_grade, "C")
        # nobody writes a grade by hand
        with self.assertRaises(AccessError):
            customer.with_user(self.user).write({"dunning_grade": "A"})

    @freeze_time(TODAY)
    def test_refresh_does_not_wait(self):
        customer = self._late_payer()
        # another transaction (the daily job) is refreshing the company: a
        # user's Refresh does nothing and says so, without waiting
        with self.env.registry.cursor() as other_cr:
            self.assertTrue(
                try_advisory_locks(other_cr, "account.dunning.behaviour", {(self.company.id, 0)})
            )
            action = (
                self.env["account.dunning.customer"]
                .with_user(self.user)
                .action_refresh_payment_behaviour()
            )
            self.assertIn("being computed right now", action["params"]["message"])
            self.assertFalse(customer.with_company(self.company).dunning_grade)
