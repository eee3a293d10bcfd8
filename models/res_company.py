# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models

# Translatable fields of the default plan, filled in every installed language.
_PLAN_TRANSLATED = ("name",)
_LEVEL_TRANSLATED = ("name", "letter_subject")
# HTML texts are translated term by term (paragraph by paragraph), as Odoo
# does for every sanitized HTML field.
_LEVEL_TRANSLATED_HTML = ("letter_intro", "letter_closing")


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_default_plan_id = fields.Many2one(
        "account.dunning.plan",
        string="Default Reminder Plan",
        domain="[('company_id', '=', id)]",
        help="The plan of customers that have no plan of their own and no plan "
        "for their customer type.",
    )
    dunning_internal_email = fields.Char(
        string="Reminders Internal Copy",
        help="Every reminder email is also sent to this address (blind copy).",
    )
    dunning_min_amount = fields.Monetary(
        string="Minimum Amount to Remind",
        currency_field="currency_id",
        help="Invoices whose amount due (in company currency) is below this "
        "amount are not reminded.",
    )
    dunning_min_interval_days = fields.Integer(
        string="Minimum Days Between Reminders",
        default=7,
        help="A customer is not reminded again until this many days have "
        "passed since its last reminder.",
    )
    dunning_exclude_direct_debit = fields.Boolean(
        string="Do Not Remind Direct Debit Invoices",
        default=True,
        help="Invoices whose preferred payment method is marked as direct "
        "debit are collected by the bank and never reminded.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._dunning_setup_company()
        return companies

    def _dunning_setup_company(self):
        """What each company needs for reminders: a default plan and its own
        sequence of reminder references."""
        self._dunning_create_default_plan()
        self._dunning_create_sequence()

    def _dunning_create_sequence(self):
        Sequence = self.env["ir.sequence"].sudo()
        existing = Sequence.search(
            [("code", "=", "account.dunning"), ("company_id", "in", self.ids)]
        ).company_id
        Sequence.create(
            [
                {
                    "name": self.env._("Payment Reminders (%(company)s)", company=company.name),
                    "code": "account.dunning",
                    "company_id": company.id,
                    "prefix": "R-%(y)s%(month)s-",
                    "padding": 4,
                }
                for company in self - existing
            ]
        )

    def _dunning_create_default_plan(self):
        """Give each company without one a default plan with the four levels
        users know: statement of unpaid invoices, second reminder, third
        reminder, formal notice; texts in every installed language."""
        Plan = self.env["account.dunning.plan"].sudo()
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for company in self.sudo():
            if company.dunning_default_plan_id:
                continue
            vals = company.with_context(lang="en_US")._dunning_default_plan_values()
            vals["is_default"] = True
            plan = Plan.with_context(lang="en_US").create(vals)
            for lang in langs:
                if lang == "en_US":
                    continue
                tvals = company.with_context(lang=lang)._dunning_default_plan_values()
                plan.with_context(lang=lang).write({f: tvals[f] for f in _PLAN_TRANSLATED})
                for level, lvals in zip(
                    plan.level_ids.sorted("days"), tvals["level_ids"], strict=True
                ):
                    level.with_context(lang=lang).write({f: lvals[2][f] for f in _LEVEL_TRANSLATED})
                    for fname in _LEVEL_TRANSLATED_HTML:
                        level._dunning_translate_html(fname, lang, lvals[2][fname])

    def _dunning_default_plan_values(self):
        """Values of the default plan, in the language of the context."""
        self.ensure_one()

        def template(xmlid):
            return self.env.ref(f"account_dunning.{xmlid}", raise_if_not_found=False).id

        closing = Markup("<p>%s</p><p>%s</p>") % (
            self.env._(
                "If you have paid in the meantime, please disregard this "
                "letter. Otherwise, we thank you for settling the amount due "
                "and mentioning the invoice numbers with your payment."
            ),
            self.env._("Yours faithfully,"),
        )
        levels = [
            {
                "name": self.env._("Statement of unpaid invoices"),
                "days": 5,
                "send_email": True,
                "mail_template_id": template("mail_template_dunning_level_1"),
                "letter_subject": self.env._("Statement of unpaid invoices"),
                "letter_intro": Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._("Dear Customer,"),
                    self.env._(
                        "Unless we are mistaken, the invoices below are past "
                        "their due date and still unpaid."
                    ),
                ),
                "auto_send": True,
            },
            {
                "name": self.env._("Second reminder"),
                "days": 15,
                "send_email": True,
                "mail_template_id": template("mail_template_dunning_level_2"),
                "letter_subject": self.env._("Second payment reminder"),
                "letter_intro": Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._("Dear Customer,"),
                    self.env._(
                        "Despite our first reminder, we have not received the "
                        "payment of the invoices below."
                    ),
                ),
                "auto_send": True,
            },
            {
                "name": self.env._("Third reminder"),
                "days": 30,
                "send_email": True,
                "send_letter": True,
                "mail_template_id": template("mail_template_dunning_level_3"),
                "letter_subject": self.env._("Third payment reminder"),
                "letter_intro": Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._("Dear Customer,"),
                    self.env._(
                        "The invoices below are still unpaid despite our "
                        "previous reminders. We ask you to settle them within "
                        "eight days."
                    ),
                ),
            },
            {
                "name": self.env._("Formal notice"),
                "days": 45,
                "send_email": True,
                "send_letter": True,
                "letter_kind": "formal_notice",
                "mail_template_id": template("mail_template_dunning_level_4"),
                "letter_subject": self.env._("Formal notice to pay"),
                "letter_intro": Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._("Dear Customer,"),
                    self.env._(
                        "Our previous reminders have remained unanswered. We "
                        "hereby give you formal notice to pay the amount below "
                        "within eight days of receiving this letter, failing "
                        "which we will take legal action to recover it."
                    ),
                ),
            },
        ]
        return {
            "name": self.env._("Standard reminder plan"),
            "company_id": self.id,
            "partner_type": "all",
            "sequence": 100,
            "level_ids": [
                fields.Command.create(dict(level, letter_closing=closing)) for level in levels
            ],
        }
