# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import lxml.html
from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import DunningCommon

LETTER = "account_dunning.action_report_dunning_letter"


@tagged("post_install", "-at_install")
class TestDunningLetterLayout(DunningCommon):
    """What the letter and the email say and in which order: the address as
    the post reads it, the date in words, the registered mention, the
    greeting, the earlier reminders and the bank details."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write(
            {
                "send_email": True,
                "send_letter": True,
                "attach_invoices": False,
                "attach_letter": False,
            }
        )
        cls.company.write(
            {"city": "Paris", "zip": "75002", "country_id": cls.env.ref("base.fr").id}
        )
        cls.mairie = cls.env["res.partner"].create(
            {
                "name": "Mairie de Beaulieu",
                "is_company": True,
                "email": "mairie@beaulieu.test",
                "street": "Place de la République",
                "street2": "Bâtiment B",
                "zip": "19120",
                "city": "Beaulieu-sur-Dordogne",
                "country_id": cls.env.ref("base.fr").id,
            }
        )

    def _html(self, reminder):
        return self.env["ir.actions.report"]._render_qweb_html(LETTER, reminder.ids)[0].decode()

    def _letter(self, reminder):
        """The letter's HTML as a tree."""
        return lxml.html.fromstring(self._html(reminder))

    def _text(self, tree, name):
        """The text of the part of the letter called ``name``."""
        return " ".join(" ".join(tree.xpath(f"//*[@name='{name}']")[0].itertext()).split())

    def _address(self, tree):
        return [
            " ".join(line.text_content().split())
            for line in tree.xpath("//div[@name='address']/div")
        ]

    def _contact(self, partner, name="Jeanne Dupont", **vals):
        return self.env["res.partner"].create(
            {
                "name": name,
                "parent_id": partner.id,
                "type": "dunning",
                "email": "jeanne.dupont@beaulieu.test",
                **vals,
            }
        )

    @freeze_time("2026-04-20")
    def test_address_in_french_postal_order(self):
        """Name, attention line, street lines, postcode and city, country
        last and only abroad."""
        self.mairie.country_id = self.env.ref("base.be")
        self._contact(self.mairie, title=self.env.ref("base.res_partner_title_madam").id)
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        self.assertEqual(
            self._address(self._letter(reminder)),
            [
                "Mairie de Beaulieu",
                "For the attention of Mrs. Jeanne Dupont",
                "Place de la République",
                "Bâtiment B",
                "19120 Beaulieu-sur-Dordogne",
                "BELGIUM",
            ],
        )

    @freeze_time("2026-04-20")
    def test_address_at_home_has_no_country_and_no_attention(self):
        """In the company's country no country line; a customer reminded
        at its own address has no attention line."""
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        self.assertEqual(
            self._address(self._letter(reminder)),
            [
                "Mairie de Beaulieu",
                "Place de la République",
                "Bâtiment B",
                "19120 Beaulieu-sur-Dordogne",
            ],
        )

    @freeze_time("2026-04-20")
    def test_contact_with_its_own_address(self):
        """A reminder contact with an address of its own is written to
        there, for its attention, under the customer's name."""
        self._contact(
            self.mairie,
            name="Service comptabilité",
            street="2 rue du Quai",
            zip="19121",
            city="Beaulieu",
        )
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        self.assertEqual(
            self._address(self._letter(reminder)),
            [
                "Mairie de Beaulieu",
                "For the attention of Service comptabilité",
                "2 rue du Quai",
                "19121 Beaulieu",
            ],
        )

    @freeze_time("2026-04-20")
    def test_date_in_words_in_english(self):
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        tree = self._letter(reminder)
        self.assertEqual(self._text(tree, "place_date"), "Paris, April 20, 2026")
        self.company.city = False
        self.assertEqual(self._text(self._letter(reminder), "place_date"), "April 20, 2026")

    @freeze_time("2026-04-20")
    def test_date_in_words_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        self.mairie.lang = "fr_FR"
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        self.assertEqual(
            self._text(self._letter(reminder), "place_date"), "Paris, le 20 avril 2026"
        )

    def test_formal_notice_sent_registered(self):
        """A formal notice can also go by registered letter with
        acknowledgement of receipt: the letter says so above the address,
        and recalls the reminder that came before."""
        self.notice.letter_registered = True
        with freeze_time("2026-03-12"):
            invoice = self._invoice(500, "2026-03-01", partner=self.mairie)
            self.assertEqual(self._remind(invoice).level_id, self.first)
        with freeze_time("2026-04-20"):
            reminder = self._remind(self._state(invoice))
        self.assertEqual(reminder.level_id, self.notice)
        self.assertEqual(reminder.letter_kind, "formal_notice")
        self.assertTrue(reminder.letter_registered)
        tree = self._letter(reminder)
        self.assertEqual(
            self._text(tree, "registered"), "Registered letter with acknowledgement of receipt"
        )
        self.assertEqual(self._text(tree, "letter_kind"), "Formal notice")
        self.assertIn("Commercial Code", self._text(tree, "legal"))
        self.assertEqual(
            self._text(tree, "previous_reminders"),
            "Our reminder of March 12, 2026 has remained unanswered.",
        )
        # the mention comes before the address
        html = self._html(reminder)
        self.assertLess(html.index('name="registered"'), html.index('name="address"'))
        # a letter that only goes with an email is not registered
        reminder.sudo().send_letter = False
        self.assertFalse(self._letter(reminder).xpath("//*[@name='registered']"))

    @freeze_time("2026-04-20")
    def test_simple_letter_not_registered(self):
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        self.assertFalse(reminder.letter_registered)
        tree = self._letter(reminder)
        self.assertFalse(tree.xpath("//*[@name='registered']"))
        self.assertFalse(tree.xpath("//*[@name='letter_kind']"))

    def test_registered_kind_of_older_data_loads_as_a_flag(self):
        """Data written when "registered" was a kind of letter loads as a
        registered simple letter."""
        self.second.letter_kind = "registered"
        self.assertEqual(self.second.letter_kind, "simple")
        self.assertTrue(self.second.letter_registered)
        level = self.env["account.dunning.level"].create(
            {"plan_id": self.plan.id, "name": "Old", "days": 30, "letter_kind": "registered"}
        )
        self.assertEqual((level.letter_kind, level.letter_registered), ("simple", True))

    def test_first_reminder_claims_no_earlier_reminder(self):
        """A first reminder, even a formal notice, never speaks of earlier
        reminders; the next one recalls the first with its date."""
        with freeze_time("2026-03-12"):
            invoice = self._invoice(100, "2026-03-01", partner=self.mairie)
            first = self._remind(invoice)
        self.assertEqual(first.level_id, self.first)
        self.assertFalse(first.has_previous_reminders)
        tree = self._letter(first)
        self.assertFalse(tree.xpath("//*[@name='previous_reminders']"))
        self.assertNotIn("remained unanswered", first.mail_id.body_html)
        with freeze_time("2026-03-25"):
            second = self._remind(self._state(invoice))
        self.assertEqual(second.level_id, self.second)
        self.assertTrue(second.has_previous_reminders)
        sentence = "Our reminder of March 12, 2026 has remained unanswered."
        self.assertEqual(self._text(self._letter(second), "previous_reminders"), sentence)
        self.assertIn(sentence, second.mail_id.body_html)

    def test_calls_and_notes_before_due_are_not_unanswered_reminders(self):
        """A note sent before the due date and a phone call are not
        reminders the customer left unanswered: a letter after them claims
        none; a written reminder once due is one."""
        with freeze_time("2026-02-25"):  # 4 days before the due date
            invoice = self._invoice(100, "2026-03-01", partner=self.mairie)
            pre = self._remind(invoice)
        self.assertEqual(pre.level_id, self.pre)
        with freeze_time("2026-03-05"):
            action = invoice.action_dunning_log_call()
            wizard = self.env["account.dunning.call.wizard"].browse(action["res_id"])
            with Form(wizard) as form:
                form.outcome = "no_answer"
            wizard.action_log()
        self.assertEqual(invoice.dunning_count, 2)
        with freeze_time("2026-03-12"):
            first = self._remind(self._state(invoice))
        self.assertEqual(first.level_id, self.first)
        self.assertFalse(first.has_previous_reminders)
        self.assertNotIn("remained unanswered", first.mail_id.body_html)
        with freeze_time("2026-03-25"):
            second = self._remind(self._state(invoice))
        self.assertEqual(second.earlier_reminder_count, 1)
        self.assertIn("Our reminder of March 12, 2026", second.mail_id.body_html)

    def test_default_plan_texts_claim_no_earlier_reminder(self):
        company = self.env["res.company"].create({"name": "Nouvelle Société"})
        for level in company.dunning_default_plan_id.level_ids:
            for text in ("previous reminders", "Despite", "Dear Customer"):
                self.assertNotIn(text, level.letter_intro)
        notice = company.dunning_default_plan_id.level_ids.sorted("days")[-1]
        self.assertEqual(notice.letter_kind, "formal_notice")
        self.assertTrue(notice.letter_registered)
        for xmlid in range(1, 5):
            template = self.env.ref(f"account_dunning.mail_template_dunning_level_{xmlid}")
            self.assertNotIn("previous reminders have", template.body_html)
            self.assertNotIn("Despite", template.body_html)

    @freeze_time("2026-04-20")
    def test_greeting_of_an_organisation(self):
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        self.assertEqual(reminder._get_greeting(), "Dear Sir or Madam,")
        self.assertEqual(self._text(self._letter(reminder), "greeting"), "Dear Sir or Madam,")
        self.assertIn("<p>Dear Sir or Madam,</p>", reminder.mail_id.body_html)
        self.assertNotIn("Mairie de Beaulieu,", reminder.mail_id.body_html)

    @freeze_time("2026-04-20")
    def test_greeting_of_a_person(self):
        # a contact with a title: by title and name
        self._contact(self.mairie, title=self.env.ref("base.res_partner_title_madam").id)
        titled = reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        self.assertEqual(self._text(self._letter(reminder), "greeting"), "Dear Mrs. Jeanne Dupont,")
        self.assertIn("<p>Dear Mrs. Jeanne Dupont,</p>", reminder.mail_id.body_html)
        # an individual customer without a title: by name
        person = self.env["res.partner"].create(
            {
                "name": "Paul Martin",
                "email": "paul@martin.test",
                "street": "3 allée des Tilleuls",
                "zip": "44000",
                "city": "Nantes",
            }
        )
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=person))
        self.assertEqual(self._text(self._letter(reminder), "greeting"), "Dear Paul Martin,")
        self.assertIn("<p>Dear Paul Martin,</p>", reminder.mail_id.body_html)
        self.assertEqual(self._address(self._letter(reminder))[0], "Paul Martin")
        # in French: "Madame," for a titled person, "Madame, Monsieur," else
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_dunning"], ["fr_FR"])
        madam = self.env.ref("base.res_partner_title_madam")
        madam.with_context(lang="fr_FR").name = "Madame"
        self.assertEqual(titled._get_greeting(lang="fr_FR"), "Madame,")
        self.assertEqual(reminder._get_greeting(lang="fr_FR"), "Madame, Monsieur,")

    @freeze_time("2026-04-20")
    def test_address_without_title_greets_the_organisation(self):
        """A reminder address may be a department: without a title it is
        not greeted as a person, but the letter is for its attention."""
        self._contact(self.mairie, name="Service comptabilité")
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        tree = self._letter(reminder)
        self.assertEqual(self._text(tree, "greeting"), "Dear Sir or Madam,")
        self.assertIn("For the attention of Service comptabilité", self._address(tree))

    @freeze_time("2026-04-20")
    def test_bank_details_as_iban_and_bic(self):
        bank = self.env["res.bank"].create({"name": "Crédit Agricole", "bic": "AGRIFRPP882"})
        self.env["res.partner.bank"].create(
            {
                "partner_id": self.company.partner_id.id,
                "acc_number": "fr7630006000011234567890189",
                "bank_id": bank.id,
            }
        )
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        text = self._text(self._letter(reminder), "bank")
        self.assertEqual(
            text,
            "Payment by bank transfer: IBAN FR76 3000 6000 0112 3456 7890 189 "
            "\N{EN DASH} BIC AGRIFRPP882",
        )
        mail = lxml.html.fromstring(reminder.mail_id.body_html)
        paragraph = mail.xpath("//p[contains(., 'Our bank details')]")[0]
        self.assertEqual(
            " ".join(paragraph.text_content().split()),
            "Our bank details: IBAN FR76 3000 6000 0112 3456 7890 189 \N{EN DASH} BIC AGRIFRPP882",
        )

    def test_account_number_that_is_not_an_iban(self):
        Dunning = self.env["account.dunning"]
        self.assertEqual(
            Dunning._format_iban("FR76 3000 6000 0112 3456 7890 189"),
            "FR76 3000 6000 0112 3456 7890 189",
        )
        # a wrong check digit, a national account number
        self.assertEqual(Dunning._format_iban("FR77 3000 6000 0112 3456 7890 189"), "")
        self.assertEqual(Dunning._format_iban("000123456789"), "")

    @freeze_time("2026-04-20")
    def test_figures_right_aligned_under_right_aligned_headings(self):
        reminder = self._remind(self._invoice(100, "2026-04-05", partner=self.mairie))
        mail = lxml.html.fromstring(reminder.mail_id.body_html)
        for heading in ("Days late", "Amount due"):
            th = mail.xpath(f"//th[normalize-space()='{heading}']")[0]
            self.assertIn("text-align: right", th.get("style"))
        cells = mail.xpath("//tbody/tr[1]/td")
        self.assertIn("text-align: right", cells[3].get("style"))  # days late
        self.assertIn("text-align: right", cells[4].get("style"))  # amount due
        letter = self._letter(reminder)
        for heading in ("Days late", "Amount", "Amount due"):
            th = letter.xpath(f"//table[@name='invoices']//th[normalize-space()='{heading}']")[0]
            self.assertIn("text-end", th.get("class"))

    def test_new_level_gets_the_reminder_email(self):
        template = self.env.ref("account_dunning.mail_template_dunning_level_1")
        with Form(self.env["account.dunning.plan"]) as form:
            form.name = "Individuals"
            with form.level_ids.new() as level:
                level.name = "Friendly reminder"
                level.days = 7
                self.assertTrue(level.send_email)
                self.assertEqual(level.mail_template_id, template)
        # emptied, then Email ticked again: the template comes back
        with Form(form.record.level_ids) as level:
            level.mail_template_id = self.env["mail.template"]
            level.send_email = False
            level.send_email = True
            self.assertEqual(level.mail_template_id, template)
