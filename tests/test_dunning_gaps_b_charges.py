# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.account_dunning import LETTER_REPORT
from .common import DunningCommon

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestDunningGapsBCharges(DunningCommon):
    """Late-payment charges where no test looked yet: the last rates known
    when a half-year's are not published, the 40 EUR indemnity in another
    currency, the formal notice's sentences with the amounts (a business,
    a public body) and *Invoice the Charges* from the customer.

    Every figure by hand: interest = amount due x yearly rate x days / 365;
    in the first half of 2026 the ECB rate is 2.15 % (the module's data):
    2.15 + 10 = 12.15 % for a business, 2.15 + 8 = 10.15 % for a public
    body."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.company.country_id = cls.env.ref("base.fr")  # the French legal wording
        cls.customer.write({"street": "1 rue de la Paix", "city": "Paris", "zip": "75002"})
        cls.manager = cls._user(
            "gaps_b_charges_manager",
            "account.group_account_invoice,account_dunning.group_dunning_manager",
        )

    def _eur_invoice(self, amount, due, invoice_date, partner=None):
        return self._invoice(
            amount, due, partner=partner, invoice_date=invoice_date, currency=self.eur
        )

    def _letter_text(self, reminder):
        """The letter as the customer reads it: its text, spaces joined."""
        html = self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, reminder.ids)[0]
        text = re.sub(r"<[^>]+>", " ", html.decode())
        return re.sub(r"[ \t\n]+", " ", text.replace("&nbsp;", NBSP))

    def _preview(self, action):
        """The *Invoice the Charges* dialog an action opened, as the manager."""
        self.assertEqual(action["res_model"], "account.dunning.charges.wizard")
        return self.env[action["res_model"]].with_user(self.manager).browse(action["res_id"])

    # ------------------------------------------------------------------
    # Rates
    # ------------------------------------------------------------------

    @freeze_time("2025-07-30")
    def test_last_known_rates_when_the_half_year_is_missing(self):
        """The rates of 1 July are published late: until a manager adds
        them, the last ones known hold (never 0 %)."""
        Rate = self.env["account.dunning.rate"]
        Rate.search([]).unlink()
        Rate.create(
            [
                {"rate_type": "ecb", "date_from": "2024-07-01", "rate": 4.25},
                {"rate_type": "ecb", "date_from": "2025-01-01", "rate": 3.0},
                {"rate_type": "legal_other", "date_from": "2025-01-01", "rate": 3.71},
                # nothing from 1 July 2025 yet
            ]
        )
        invoice = self._eur_invoice(1000, "2025-06-15", "2025-05-16")
        charges = invoice._get_dunning_charges()[invoice.id]
        # 16-30 June: 15 days at 3.00 + 10 = 13 %; 1-30 July: the July rate
        # is missing, January's 3.00 still holds: 30 days at 13 %
        june = 1000 * 0.13 * 15 / 365  # 5.3425
        july = 1000 * 0.13 * 30 / 365  # 10.6849
        self.assertEqual(
            [(p["date_from"].isoformat(), p["days"], p["rate"]) for p in charges["periods"]],
            [("2025-06-16", 15, 13.0), ("2025-07-01", 30, 13.0)],
        )
        self.assertEqual(charges["penalty"], round(june + july, 2))
        self.assertEqual(charges["penalty"], 16.03)
        self.assertEqual(charges["rate"], 13.0)
        # an agreed rate is still held to three times the last legal rate
        # known: 3 x 3.71 = 11.13 % in July too, above the 5 % agreed
        self.customer.dunning_penalty_rate = 5.0
        charges = invoice._get_dunning_charges()[invoice.id]
        self.assertEqual([round(p["rate"], 2) for p in charges["periods"]], [11.13, 11.13])
        # 45 days at 11.13 %: 1000 x 11.13 % x 45 / 365 = 13.7219
        self.assertEqual(charges["penalty"], 13.72)

    # ------------------------------------------------------------------
    # The indemnity in another currency
    # ------------------------------------------------------------------

    @freeze_time("2026-03-03")
    def test_indemnity_converted_on_the_first_day_late(self):
        """40 EUR, in the invoice's currency at the rate of the first day
        late: a fixed sum, whatever the rate does afterwards. The company's
        currency is the dollar."""
        self.assertEqual(self.company.currency_id, self.env.ref("base.USD"))
        # 1 USD = 0.80 EUR; 1 USD = 0.90 CHF, then 1.00 CHF from 15 February
        self.setup_other_currency("EUR", rates=[("2025-01-01", 0.8)])
        chf = self.setup_other_currency("CHF", rates=[("2025-01-01", 0.9), ("2026-02-15", 1.0)])
        swiss = self._invoice(1000, "2026-02-01", invoice_date="2026-01-02", currency=chf)
        dollars = self._invoice(1000, "2026-02-01", invoice_date="2026-01-02")
        euros = self._eur_invoice(1000, "2026-02-01", "2026-01-02")
        charges = (swiss + dollars + euros)._get_dunning_charges()
        # first day late: 2 February. 40 EUR = 40 / 0.80 = 50 USD = 50 x 0.90
        # = 45 CHF (today's 1.00 would make 50 CHF)
        self.assertEqual(charges[swiss.id]["indemnity"], 45.0)
        self.assertEqual(charges[dollars.id]["indemnity"], 50.0)
        self.assertEqual(charges[euros.id]["indemnity"], 40.0)
        # the interest does not depend on the currency: 30 days at 12.15 %
        # on 1000: 9.9863
        for invoice in swiss + dollars + euros:
            self.assertEqual(charges[invoice.id]["penalty"], 9.99)
        # invoiced in Swiss francs, as owed
        preview = self._preview(swiss.with_user(self.manager).action_dunning_invoice_charges())
        self.assertEqual(
            [(line.penalty_due, line.indemnity_due) for line in preview.line_ids], [(9.99, 45.0)]
        )
        action = preview.action_invoice()
        charges_invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(charges_invoice.currency_id, chf)
        self.assertEqual(
            [
                (line.dunning_charge_kind, line.price_unit)
                for line in charges_invoice.invoice_line_ids
            ],
            [("penalty", 9.99), ("indemnity", 45.0)],
        )
        self.assertEqual(charges_invoice.amount_total, 54.99)  # 9.99 + 45.00

    # ------------------------------------------------------------------
    # The formal notice's legal wording and its amounts
    # ------------------------------------------------------------------

    def _notice_on_two_invoices(self):
        """A formal notice on 3 March 2026 for two late EUR invoices: A
        (1000, due 22 January, 40 days late, after a second reminder) and B
        (1500, due 11 February, 20 days late)."""
        first = self._eur_invoice(1000, "2026-01-22", "2025-12-23")
        second = self._eur_invoice(1500, "2026-02-11", "2026-01-12")
        first.sudo().dunning_level_id = self.second
        reminder = self._remind(first + second)
        self.assertEqual(reminder.level_id, self.notice)
        self.assertEqual(reminder.line_ids.move_id, first + second)
        return reminder

    @freeze_time("2026-03-03")
    def test_formal_notice_states_the_amounts(self):
        reminder = self._notice_on_two_invoices()
        text = self._letter_text(reminder)
        # A: 1000 x 12.15 % x 40 / 365 = 13.3151; B: 1500 x 12.15 % x 20 /
        # 365 = 9.9863; 13.32 + 9.99 = 23.31 of penalties, 2 x 40 = 80.00 of
        # indemnities, 103.31 in all
        penalty = round(1000 * 0.1215 * 40 / 365, 2) + round(1500 * 0.1215 * 20 / 365, 2)
        self.assertAlmostEqual(penalty, 23.31)
        self.assertIn(
            "Late-payment penalties are due from the day after the due date, at the rate of "
            "the European Central Bank plus 10 points (article L441-10 of the Commercial Code).",
            text,
        )
        self.assertIn(
            "A fixed indemnity for recovery costs of 40 EUR per invoice paid late is also due, "
            "that is 80 EUR for the invoices above (article D441-5 of the Commercial Code).",
            text,
        )
        self.assertIn(
            f"At the date of this letter, the penalties amount to 23.31{NBSP}€ and the "
            f"indemnities to 80.00{NBSP}€, that is 103.31{NBSP}€.",
            text,
        )

    @freeze_time("2026-03-03")
    def test_public_body_wording_and_amounts(self):
        """A public body: the ECB rate of the half-year the interest started
        in plus 8 points (Code de la commande publique R2192-31)."""
        self.customer.dunning_customer_type = "public"
        reminder = self._notice_on_two_invoices()
        text = self._letter_text(reminder)
        self.assertIn("the European Central Bank plus 8 points", text)
        self.assertNotIn("plus 10 points", text)
        # 2.15 + 8 = 10.15 %: A 1000 x 10.15 % x 40 / 365 = 11.1233; B 1500 x
        # 10.15 % x 20 / 365 = 8.3425; 11.12 + 8.34 = 19.46; 80.00 of
        # indemnities (a public body owes them too): 99.46
        self.assertAlmostEqual(
            round(1000 * 0.1015 * 40 / 365, 2) + round(1500 * 0.1015 * 20 / 365, 2), 19.46
        )
        self.assertIn("that is 80 EUR for the invoices above", text)
        self.assertIn(
            f"the penalties amount to 19.46{NBSP}€ and the indemnities to 80.00{NBSP}€, "
            f"that is 99.46{NBSP}€.",
            text,
        )

    # ------------------------------------------------------------------
    # Invoice the Charges from the customer
    # ------------------------------------------------------------------

    @freeze_time("2026-03-03")
    def test_invoice_the_charges_from_the_customer(self):
        """The customer's button takes its invoices late today or paid late
        in the last two years, its contacts' included; not those not due,
        older than two years or of another customer."""
        contact = self.env["res.partner"].create(
            {"name": "Jeanne Dupont", "parent_id": self.customer.id, "type": "contact"}
        )
        other = self.env["res.partner"].create({"name": "Martin SA", "is_company": True})
        late = self._eur_invoice(1000, "2026-02-01", "2026-01-02")
        paid_late = self._eur_invoice(500, "2026-01-21", "2025-12-22")
        self._pay(paid_late, 500, "2026-02-10")
        by_contact = self._eur_invoice(700, "2026-02-21", "2026-01-22", partner=contact)
        self._eur_invoice(300, "2026-03-20", "2026-02-18")  # not due yet
        self._eur_invoice(800, "2024-02-14", "2024-01-15")  # over two years ago
        self._eur_invoice(900, "2026-02-01", "2026-01-02", partner=other)
        action = self.customer.with_user(self.manager).action_dunning_invoice_charges()
        preview = self._preview(action)
        # by due date: paid late 20 days (22 January-10 February): 500 x
        # 12.15 % x 20 / 365 = 3.3288; 30 days: 1000 x 12.15 % x 30 / 365 =
        # 9.9863; 10 days: 700 x 12.15 % x 10 / 365 = 2.3301; 40 EUR each
        self.assertEqual(
            [(line.move_id, line.penalty_due, line.indemnity_due) for line in preview.line_ids],
            [(paid_late, 3.33, 40.0), (late, 9.99, 40.0), (by_contact, 2.33, 40.0)],
        )
        charges_invoice = self.env["account.move"].browse(preview.action_invoice()["res_id"])
        self.assertEqual(len(charges_invoice), 1)
        self.assertEqual(charges_invoice.partner_id, self.customer)
        self.assertEqual(charges_invoice.currency_id, self.eur)
        self.assertEqual(charges_invoice.state, "draft")
        penalty = self.env.ref("account_dunning.product_dunning_penalty")
        indemnity = self.env.ref("account_dunning.product_dunning_indemnity")
        self.assertEqual(
            [
                (line.product_id, line.dunning_charged_move_id, line.price_unit)
                for line in charges_invoice.invoice_line_ids
            ],
            [
                (penalty, paid_late, 3.33),
                (indemnity, paid_late, 40.0),
                (penalty, late, 9.99),
                (indemnity, late, 40.0),
                (penalty, by_contact, 2.33),
                (indemnity, by_contact, 40.0),
            ],
        )
        self.assertIn(late.name, charges_invoice.invoice_line_ids[2].name)
        # 3.33 + 9.99 + 2.33 + 3 x 40
        self.assertEqual(charges_invoice.amount_total, 135.65)
        self.assertEqual(
            charges_invoice.invoice_origin,
            ", ".join((paid_late + late + by_contact).mapped("name")),
        )
        # invoiced: the button finds nothing left the same day
        with self.assertRaisesText(UserError, "no late-payment charges left"):
            self.customer.with_user(self.manager).action_dunning_invoice_charges()
