# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models.dunning_tools import countback_dso, countback_dso_sql
from .common import DunningCommon

TODAY = "2026-04-15 12:00:00"


@tagged("post_install", "-at_install")
class TestDunningOverview(DunningCommon):
    """The Collection Overview: its cards, the month by month trend (DSO
    and what was owed by aging bucket at each month end), the workload by
    responsible, per company and in company currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        address = {"street": "2 rue Jeanne d'Arc", "zip": "76000", "city": "Rouen"}
        cls.customer.write(address)
        cls.martin = cls.env["res.partner"].create(
            {
                "name": "Quincaillerie Martin",
                "is_company": True,
                "email": "ap@martin.test",
                **address,
            }
        )
        cls.lefebvre = cls.env["res.partner"].create(
            {"name": "Lefebvre SA", "is_company": True, "email": "ap@lefebvre.test", **address}
        )
        cls.eur = cls.setup_other_currency("EUR", rates=[("2025-01-01", 2.0)])
        cls.reader = cls._user("overview_reader", "base.group_user,account.group_account_readonly")

    def _book(self):
        """A year of invoices (company currency unless said):

        - A: 1,000 to Dupont, invoiced 10 January 2026, due 9 February,
          400 paid on 10 March;
        - B: 500 to Dupont, invoiced 1 December 2025, due 31 December, paid
          on 20 February;
        - C: 200 to Martin, invoiced 5 October 2025, due 20 October, unpaid;
        - D: 300 EUR (150 at 2 EUR for 1) to Lefebvre, invoiced 1 March
          2026, due 31 March, unpaid."""
        a = self._invoice(1000, "2026-02-09", invoice_date="2026-01-10")
        b = self._invoice(500, "2025-12-31", invoice_date="2025-12-01")
        c = self._invoice(200, "2025-10-20", partner=self.martin, invoice_date="2025-10-05")
        d = self._invoice(
            300, "2026-03-31", partner=self.lefebvre, invoice_date="2026-03-01", currency=self.eur
        )
        self._pay(a, 400, date(2026, 3, 10))
        self._pay(b, 500, date(2026, 2, 20))
        return a, b, c, d

    def _months(self, user=None):
        """{day measured: ({bucket: amount}, dso)} of the company."""
        Month = self.env["account.dunning.overview.month"].with_user(user or self.env.user)
        result = {}
        for row in Month.search([("company_id", "=", self.company.id)]):
            buckets, _dso = result.setdefault(row.date_end, ({}, row.dso))
            if row.amount:
                buckets[row.bucket] = row.amount
            self.assertEqual(row.dso, _dso, "one DSO per company and day")
        return result

    def _cards(self, user=None, company=None):
        Overview = self.env["account.dunning.overview"].with_user(user or self.env.user)
        rows = Overview.search([("company_id", "=", (company or self.company).id)])
        return {row.kind: row for row in rows}

    # ------------------------------------------------------------------
    # Month by month
    # ------------------------------------------------------------------

    @freeze_time(TODAY)
    def test_owed_by_bucket_and_dso_at_each_month_end(self):
        self._book()
        months = self._months(self.reader)
        self.assertEqual(
            sorted(months, reverse=True),
            [date(2026, 4, 15)]
            + [
                date(2026, 3, 31),
                date(2026, 2, 28),
                date(2026, 1, 31),
                date(2025, 12, 31),
                date(2025, 11, 30),
                date(2025, 10, 31),
                date(2025, 9, 30),
                date(2025, 8, 31),
                date(2025, 7, 31),
                date(2025, 6, 30),
                date(2025, 5, 31),
            ],
        )
        buckets = {day: figures[0] for day, figures in months.items()}
        dso = {day: figures[1] for day, figures in months.items()}
        expected = {
            # nothing invoiced yet
            date(2025, 9, 30): {},
            # C 11 days late
            date(2025, 10, 31): {"1_30": 200},
            # C 41 days late
            date(2025, 11, 30): {"31_60": 200},
            # B due that day; C 72 days late
            date(2025, 12, 31): {"not_due": 500, "61_90": 200},
            # A due on 9 February; B 31 days late; C 103
            date(2026, 1, 31): {"not_due": 1000, "31_60": 500, "over_90": 200},
            # B paid on the 20th; A 19 days late
            date(2026, 2, 28): {"1_30": 1000, "over_90": 200},
            # 400 paid on A: 600 left, 50 days late; D (300 EUR) due that day
            date(2026, 3, 31): {"not_due": 150, "31_60": 600, "over_90": 200},
            # today: D 15 days late, A 65
            date(2026, 4, 15): {"1_30": 150, "61_90": 600, "over_90": 200},
        }
        for day, amounts in expected.items():
            self.assertEqual(buckets[day], amounts, day)
        # countback on the sales of October (200), December (500), January
        # (1,000) and March (150):
        # - 15 April, 950 owed: April 15 days without sales, March 31 days
        #   (150 covered, 800 left), February 28 days, then 800 of January's
        #   1,000 is 24.8 of its 31 days: 15 + 31 + 28 + 24.8 = 98.8
        # - 31 March, 950 owed: 31 + 28 + 24.8 = 83.8
        # - 28 February, 1,200 owed: 28 + 31 (January, 200 left) + 200 of
        #   December's 500, 12.4 days: 71.4
        # - 31 January, 1,700 owed: 31 + 31 (December, 200 left) + 30
        #   (November, no sales) + all of October's 200, 31 days: 123
        # - 31 December, 700 owed: 31 + 30 + 31 = 92
        # - 30 November, 200 owed: 30 + 31 = 61
        # - 31 October, 200 owed: all of October's sales, 31 days
        self.assertEqual(
            {day: dso[day] for day in sorted(dso) if day >= date(2025, 9, 30)},
            {
                date(2025, 9, 30): 0,
                date(2025, 10, 31): 31,
                date(2025, 11, 30): 61,
                date(2025, 12, 31): 92,
                date(2026, 1, 31): 123,
                date(2026, 2, 28): 71,
                date(2026, 3, 31): 84,
                date(2026, 4, 15): 99,
            },
        )
        # today's row is the aging report's, and the card's DSO the trend's last
        aging = dict(
            self.env["account.dunning.aging"]._read_group(
                [("company_id", "=", self.company.id)], ["bucket"], ["amount_residual:sum"]
            )
        )
        self.assertEqual(buckets[date(2026, 4, 15)], aging)
        self.assertEqual(self._cards(self.reader)["dso"].value, 99)
        # the graph stacks the buckets in their order, the DSO a line by month
        Month = self.env["account.dunning.overview.month"].with_user(self.reader)
        groups = Month.read_group(
            [("company_id", "=", self.company.id), ("is_overdue", "=", True)],
            ["amount:sum"],
            ["bucket"],
        )
        self.assertEqual(
            [group["bucket"] for group in groups], ["1_30", "31_60", "61_90", "over_90"]
        )
        groups = Month.read_group(
            [("company_id", "=", self.company.id)], ["dso:avg"], ["month:month"]
        )
        self.assertEqual(groups[-1]["dso"], 99)

    def test_countback_in_sql_is_the_python_one(self):
        """``countback_dso_sql`` walks back the months as ``countback_dso``
        does: a month of net credit notes, a month partly counted (today),
        a balance larger than two years of sales, nothing owed."""
        sales = {
            date(2026, 4, 1): 300.0,
            date(2026, 3, 1): -120.0,
            date(2026, 2, 1): 1000.0,
            date(2025, 12, 1): 250.0,
            date(2024, 6, 1): 80.0,
        }
        cases = [
            (date(2026, 4, 15), 200.0),
            (date(2026, 4, 15), 900.0),
            (date(2026, 4, 15), 1555.5),
            (date(2026, 4, 15), 99999.0),
            (date(2026, 3, 31), 700.0),
            (date(2026, 1, 31), 260.0),
            (date(2026, 1, 31), 0.0),
            (date(2026, 1, 31), -50.0),
        ]
        # one case per (made up) company, each with these sales
        query = countback_dso_sql(
            SQL(
                "SELECT company_id::int, date_end, balance FROM unnest(%s::date[], %s::numeric[])"
                " WITH ORDINALITY AS balance(date_end, balance, company_id)",
                [day for day, _balance in cases],
                [balance for _day, balance in cases],
            ),
            SQL(
                "SELECT company_id, month, amount "
                "FROM unnest(%s::date[], %s::numeric[]) AS sales(month, amount), "
                "generate_series(1, %s) AS company_id",
                list(sales),
                list(sales.values()),
                len(cases),
            ),
        )
        self.env.cr.execute(SQL("SELECT company_id, dso FROM (%s) AS dso", query))
        found = dict(self.env.cr.fetchall())
        expected = {
            index: countback_dso(balance, sales, day)
            for index, (day, balance) in enumerate(cases, start=1)
        }
        self.assertEqual(found, expected)
        # by hand: 900 owed on 15 April: April's 300 (15 days), March's net
        # credit notes (31 days, nothing covered), 600 of February's 1,000
        # (16.8 of its 28 days): 62.8
        self.assertEqual(countback_dso(900.0, sales, date(2026, 4, 15)), 63)

    # ------------------------------------------------------------------
    # The cards
    # ------------------------------------------------------------------

    def _remind_by_letter(self, invoice):
        Engine = self.env["account.dunning.engine"]
        proposal = Engine._prepare_proposals(invoice)[0]
        proposal.update(send_email=False, send_letter=True)
        reminder = self.env["account.dunning"]._create_reminders([proposal])
        self.assertEqual(reminder.letter_state, "to_post")
        return reminder

    def _open(self, card, user=None):
        """The records the list behind ``card`` shows."""
        action = card.action_open()
        Model = self.env[action["res_model"]].with_user(user or self.env.user)
        return Model.search(action["domain"])

    @freeze_time(TODAY)
    def test_cards_count_what_their_lists_show(self):
        with freeze_time("2026-04-11 12:00:00"):
            a, _b, c, d = self._book()
            # Saturday: the week before (the week starts on Sunday in English)
            earlier = self._remind_by_letter(a)
        with freeze_time("2026-04-13 12:00:00"):
            this_week = self._remind_by_letter(c)
        Promise = self.env["account.dunning.promise"].sudo()

        def promise(day, state="open"):
            record = Promise.create(
                {
                    "partner_id": self.martin.id,
                    "move_ids": [Command.set(c.ids)],
                    "date": day,
                    "amount": 50,
                }
            )
            record.state = state
            return record

        due = promise("2026-04-18")
        promise("2026-05-10")
        for day in ("2026-01-10", "2026-02-10", "2026-03-10"):
            promise(day, "kept")
        broken = promise("2026-03-20", "broken")
        promise("2025-03-01", "broken")  # more than 12 months ago
        Dispute = self.env["account.dunning.dispute"]
        Dispute.create({"move_id": a.id, "reason": "other"}).action_resolve()
        disputes = Dispute.create(
            [
                {"move_id": a.id, "reason": "price", "date": "2026-03-01"},
                {"move_id": c.id, "reason": "price", "date": "2026-04-10"},
                {"move_id": d.id, "reason": "quality", "date": "2026-04-01"},
            ]
        )
        cards = self._cards(self.reader)
        self.assertEqual(
            list(cards),
            [
                "overdue",
                "dso",
                "promises_due",
                "promises_broken",
                "disputes",
                "letters",
                "reminders",
            ],
        )
        # overdue: A 600, C 200 and D 150 (300 EUR), in company currency
        overdue = cards["overdue"]
        self.assertEqual(overdue.value, 950)
        self.assertEqual(overdue.value_display, self.company.currency_id.format(950))
        self.assertEqual(overdue.note, "3 customers late")
        accounts = self._open(overdue, self.reader)
        self.assertEqual(accounts.partner_id, self.customer | self.martin | self.lefebvre)
        self.assertEqual(sum(accounts.mapped("amount_overdue")), 950)
        self.assertEqual(cards["dso"].value_display, "99 days")
        # promises: due by 22 April; broken, and kept 3 of the 4 settled
        # in the last 12 months
        self.assertEqual(cards["promises_due"].value, 1)
        self.assertEqual(self._open(cards["promises_due"], self.reader), due)
        self.assertEqual(cards["promises_broken"].value, 1)
        self.assertEqual(cards["promises_broken"].note, "75% kept over 12 months (3 of 4)")
        self.assertEqual(self._open(cards["promises_broken"], self.reader), broken)
        # disputes: the resolved one left out; the oldest opened on 1 March
        self.assertEqual(cards["disputes"].value, 3)
        self.assertEqual(cards["disputes"].note, "The oldest opened 45 days ago")
        action = cards["disputes"].action_open()
        self.assertEqual(self._open(cards["disputes"], self.reader), disputes)
        by_reason = (
            self.env["account.dunning.dispute"]
            .with_user(self.reader)
            .read_group(action["domain"], ["__count"], ["reason"])
        )
        self.assertEqual(
            {group["reason"]: group["reason_count"] for group in by_reason},
            {"price": 2, "quality": 1},
        )
        # letters: both waiting for the post; one reminder sent this week
        self.assertEqual(cards["letters"].value, 2)
        self.assertEqual(self._open(cards["letters"], self.reader), earlier | this_week)
        self.assertEqual(cards["reminders"].value, 1)
        self.assertEqual(cards["reminders"].note, "Since 04/12/2026")
        self.assertEqual(self._open(cards["reminders"], self.reader), this_week)
        # per week and level, over twelve weeks
        action = cards["reminders"].action_open_per_week()
        self.assertEqual(action["views"][0][1], "graph")
        Dunning = self.env["account.dunning"].with_user(self.reader)
        weeks = Dunning.read_group(
            action["domain"], ["__count"], ["date:week", "level_id"], lazy=False
        )
        self.assertEqual(len(weeks), 2)
        self.assertEqual(
            {(group["date:week"], group["level_id"][0]) for group in weeks},
            {
                ("W15 2026", earlier.level_id.id),
                ("W16 2026", this_week.level_id.id),
            },
        )

    @freeze_time(TODAY)
    def test_overdue_by_responsible_with_their_activities(self):
        a, _b, c, _d = self._book()
        collector = self._user("overview_collector", "account.group_account_invoice")
        self.customer.dunning_responsible_id = collector
        self.company.dunning_responsible_id = self.env.user
        dispute = self.env["account.dunning.dispute"].create(
            {"move_id": a.id, "reason": "price", "user_id": collector.id}
        )
        # its activity, one on the customer, one late on the invoice; and
        # one on something else, not the collection's
        self.customer.activity_schedule("mail.mail_activity_data_todo", user_id=collector.id)
        c.activity_schedule(
            "mail.mail_activity_data_todo", user_id=collector.id, date_deadline=date(2026, 4, 1)
        )
        self.env["res.partner"].create({"name": "Prospect"}).activity_schedule(
            "mail.mail_activity_data_todo", user_id=collector.id
        )
        Responsible = self.env["account.dunning.overview.responsible"].with_user(self.reader)
        rows = {
            row.user_id: row for row in Responsible.search([("company_id", "=", self.company.id)])
        }
        self.assertEqual(set(rows), {collector, self.env.user})
        mine = rows[collector]
        # Dupont's A: 600 overdue
        self.assertEqual((mine.customer_count, mine.amount_overdue), (1, 600))
        self.assertEqual((mine.activity_count, mine.activity_late_count), (3, 1))
        # Martin (C, 200) and Lefebvre (D, 150) fall to the company's responsible
        other = rows[self.env.user]
        self.assertEqual((other.customer_count, other.amount_overdue), (2, 350))
        action = mine.action_open_activities()
        activities = self.env["mail.activity"].search(action["domain"])
        self.assertEqual(len(activities), 3)
        self.assertIn(dispute.activity_ids, activities)
        accounts = self.env["account.dunning.customer"].search(
            mine.action_open_customers()["domain"]
        )
        self.assertEqual(accounts.partner_id, self.customer)

    # ------------------------------------------------------------------
    # Companies, currencies, rights
    # ------------------------------------------------------------------

    @freeze_time(TODAY)
    def test_each_company_its_own_figures_in_its_currency(self):
        self._book()
        chf = self.setup_other_currency("CHF", rates=[("2025-01-01", 1.0)])
        company_b = self.setup_other_company(name="Overview B", currency_id=chf.id)["company"]
        invoice_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.martin.id,
                    "invoice_date": "2026-02-01",
                    "date": "2026-02-01",
                    "invoice_date_due": "2026-03-01",
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Services", "quantity": 1, "price_unit": 1000, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        invoice_b.action_post()
        user_b = self._user("overview_b", "base.group_user,account.group_account_readonly")
        user_b.write({"company_ids": [Command.set(company_b.ids)], "company_id": company_b.id})
        both = self._user("overview_both", "base.group_user,account.group_account_readonly")
        both.write({"company_ids": [Command.link(company_b.id)]})
        both_env = self.env(
            user=both, context={"allowed_company_ids": [self.company.id, company_b.id]}
        )
        Overview = both_env["account.dunning.overview"]
        overdue = Overview.search([("kind", "=", "overdue")])
        self.assertEqual(len(overdue), 2)
        by_company = {card.company_id: card for card in overdue}
        # each company's overdue in its own currency, never added together
        self.assertEqual(by_company[self.company].value, 950)
        self.assertEqual(
            by_company[self.company].value_display, self.company.currency_id.format(950)
        )
        self.assertEqual(by_company[company_b].value, 1000)
        self.assertEqual(by_company[company_b].value_display, chf.format(1000))
        Month = both_env["account.dunning.overview.month"]
        today_b = {
            row.bucket: row.amount
            for row in Month.search(
                [("company_id", "=", company_b.id), ("date_end", "=", "2026-04-15")]
            )
            if row.amount
        }
        self.assertEqual(today_b, {"31_60": 1000})
        self.assertEqual(
            set(Month.search([]).mapped("currency_id")), {self.company.currency_id, chf}
        )
        # company B's user sees B's figures only, and cannot read A's
        for model in (
            "account.dunning.overview",
            "account.dunning.overview.month",
            "account.dunning.overview.responsible",
        ):
            Model = self.env[model].with_user(user_b)
            self.assertTrue(Model.search([]), model)
            self.assertEqual(Model.search([]).company_id, company_b, model)
            a_rows = self.env[model].search([("company_id", "=", self.company.id)])
            self.assertTrue(a_rows, model)
            self.assertFalse(Model.search([("company_id", "=", self.company.id)]), model)
            # the rows of A do not exist for B's user: nothing to read
            a_rows.invalidate_recordset()
            try:
                values = a_rows.with_user(user_b).read(["company_id"])
            except (AccessError, MissingError):
                values = []
            self.assertFalse([row for row in values if row["company_id"]], model)
            # nor by asking for company A
            with self.assertRaises(AccessError):
                Model.with_context(allowed_company_ids=self.company.ids).search([])
        cards_b = self._cards(user_b, company_b)
        self.assertEqual(cards_b["overdue"].value, 1000)
        self.assertEqual(cards_b["letters"].value, 0)

    def test_readers_only(self):
        employee = self._user("overview_employee", "base.group_user")
        for model in (
            "account.dunning.overview",
            "account.dunning.overview.month",
            "account.dunning.overview.responsible",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(employee).search([])
        card = self._cards()["letters"]
        with self.assertRaises(AccessError):
            card.with_user(employee).action_open()
        # an auditor opens the cards' lists
        self.assertEqual(card.with_user(self.reader).action_open()["res_model"], "account.dunning")
        menu = self.env.ref("account_dunning.account_dunning_overview_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.reader)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(employee)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestDunningOverviewTour(DunningCommon, HttpCase):
    """The Collection Overview in a real browser, in French: its card of
    the letters to post opens their list."""

    def test_overview_tour_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self.plan.level_ids.write({"attach_invoices": False})
        customer = self.env["res.partner"].create(
            {
                "name": "Quincaillerie Martin",
                "is_company": True,
                "street": "2 rue",
                "zip": "76000",
                "city": "Rouen",
                "lang": "fr_FR",
            }
        )
        today = fields.Date.context_today(customer)
        invoice = self._invoice(300, today - timedelta(days=25), partner=customer)
        Engine = self.env["account.dunning.engine"]
        proposal = Engine._prepare_proposals(invoice)[0]
        proposal.update(send_email=False, send_letter=True)
        self.env["account.dunning"]._create_reminders([proposal])
        user = self._user("tour_overview_fr", "account.group_account_invoice")
        user.lang = "fr_FR"
        self.start_tour("/odoo", "account_dunning_overview_tour", login=user.login)
