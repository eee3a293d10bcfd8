# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# The demo data installs fr_FR together with the module. To install a French
# AFTER the module whatever the database, the tests use Belgian French: Odoo
# reads its terms from the same i18n/fr.po as those of every fr_* language.
FRENCH = "fr_BE"


@tagged("post_install", "-at_install")
class TestDunningI18n(AccountTestInvoicingCommon):
    """French installed after the module: the default plans, created in
    English only, follow; the texts a manager rewrote do not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Autre Société"})
        cls.levels = cls.company.dunning_default_plan_id.level_ids.sorted("days")
        installed = dict(cls.env["res.lang"].get_installed())
        assert FRENCH not in installed, f"{FRENCH} must be installed by the tests only"

    def _install_french(self, overwrite=False):
        """What activating a language in the Settings does: activate it, then
        load the terms of the installed modules in it (only this module's
        here: the others have nothing to do with the plan)."""
        self.env["res.lang"]._activate_lang(FRENCH)
        module = self.env["ir.module.module"].search([("name", "=", "account_dunning")])
        module._update_translations(FRENCH, overwrite=overwrite)

    def test_default_plans_translated_when_french_installed_later(self):
        plan = self.company.dunning_default_plan_id
        self._install_french()
        fr_levels = self.levels.with_context(lang=FRENCH)
        self.assertEqual(plan.with_context(lang=FRENCH).name, "Plan de relance standard")
        self.assertEqual(
            fr_levels.mapped("name"),
            ["Relevé de factures impayées", "2ème relance", "3ème relance", "Mise en demeure"],
        )
        self.assertEqual(fr_levels[-1].letter_subject, "Mise en demeure de payer")
        self.assertIn("vous mettons en demeure", fr_levels[-1].letter_intro)
        self.assertIn("salutations distinguées", fr_levels[-1].letter_closing)
        # English stays English
        en_levels = self.levels.with_context(lang="en_US")
        self.assertEqual(en_levels[-1].name, "Formal notice")
        self.assertIn("hereby give you formal notice", en_levels[-1].letter_intro)
        # every company's default plan, not only the current one
        other_levels = self.other_company.dunning_default_plan_id.level_ids.sorted("days")
        self.assertEqual(other_levels[-1].with_context(lang=FRENCH).name, "Mise en demeure")

    def test_texts_edited_by_manager_kept(self):
        third = self.levels[2]
        third.with_context(lang="en_US").write(
            {"name": "Last friendly reminder", "letter_intro": "<p>Dear friend,</p>"}
        )
        self._install_french()
        fr_third = third.with_context(lang=FRENCH)
        self.assertEqual(fr_third.name, "Last friendly reminder")
        self.assertEqual(fr_third.letter_intro, third.with_context(lang="en_US").letter_intro)
        # the texts the manager left as shipped are translated
        self.assertEqual(fr_third.letter_subject, "3ème relance de paiement")
        self.assertIn("salutations distinguées", fr_third.letter_closing)

    def test_french_corrected_by_manager_kept_on_update(self):
        self._install_french()
        first, second = self.levels[:2].with_context(lang=FRENCH)
        self.assertEqual(second.name, "2ème relance")
        first.name = "Relevé des impayés"
        # "Update Terms" keeping the existing translations keeps it
        self._install_french(overwrite=False)
        self.assertEqual(first.name, "Relevé des impayés")
        self.assertEqual(second.name, "2ème relance")
        # "Overwrite Existing Terms" brings the shipped translation back
        self._install_french(overwrite=True)
        self.assertEqual(first.name, "Relevé de factures impayées")

    def test_reminder_speaks_the_contact_language_first(self):
        """A reminder (its email and its letter) is in its contact's
        language, else in its customer's."""
        self._install_french()
        customer = self.env["res.partner"].create(
            {"name": "Dupont SARL", "is_company": True, "lang": FRENCH}
        )
        contact = self.env["res.partner"].create(
            {
                "name": "Accounts Payable",
                "parent_id": customer.id,
                "type": "dunning",
                "lang": "en_US",
            }
        )
        self.assertEqual(customer.dunning_contact_id, contact)
        Reminder = self.env["account.dunning"]
        values = {"partner_id": customer.id, "contact_id": contact.id}
        self.assertEqual(Reminder.new(values).lang, "en_US")
        # the other way round
        customer.lang, contact.lang = "en_US", FRENCH
        self.assertEqual(Reminder.new(values).lang, FRENCH)
        # a contact without a language: the customer's
        contact.lang = False
        self.assertEqual(Reminder.new(values).lang, "en_US")
        customer.lang = FRENCH
        self.assertEqual(Reminder.new(values).lang, FRENCH)
