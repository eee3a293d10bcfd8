# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models

from .dunning_inputs import GRACE_BOUNDS, INTERVAL_BOUNDS, PERCENT_BOUNDS, check_bounds, check_email

# Translatable fields of the default plan, filled in every installed language.
_PLAN_TRANSLATED = ("name",)
_LEVEL_TRANSLATED = ("name", "letter_subject")
# HTML texts are translated term by term (paragraph by paragraph), as Odoo
# does for every sanitized HTML field.
_LEVEL_TRANSLATED_HTML = ("letter_intro", "letter_closing")
# What a company's reminder settings may be (``dunning_inputs``).
_DUNNING_BOUNDS = {
    "dunning_penalty_rate": PERCENT_BOUNDS,
    "dunning_min_interval_days": INTERVAL_BOUNDS,
    "dunning_promise_grace_days": GRACE_BOUNDS,
}


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
    dunning_penalty_rate = fields.Float(
        string="Late-Payment Penalty Rate (%)",
        digits=(16, 2),
        help="The yearly rate of your terms of sale for business customers. "
        "Empty: the ECB rate plus 10 points. Never below three times the "
        "legal interest rate.",
    )
    dunning_penalty_product_id = fields.Many2one(
        "product.product",
        string="Penalties Product",
        help="The product of the penalties line of a charges invoice (its "
        "income account, no tax by default).",
    )
    dunning_indemnity_product_id = fields.Many2one(
        "product.product",
        string="Indemnity Product",
        help="The product of the recovery indemnity line of a charges invoice.",
    )
    dunning_promise_grace_days = fields.Integer(
        string="Grace Days After a Promise",
        default=3,
        help="A promised payment may take this many days to arrive: the "
        "invoices are not reminded until the promised date plus these days.",
    )
    dunning_exclude_direct_debit = fields.Boolean(
        string="Do Not Remind Direct Debit Invoices",
        default=True,
        help="Invoices whose preferred payment method is marked as direct "
        "debit are collected by the bank and never reminded.",
    )

    dunning_responsible_id = fields.Many2one(
        "res.users",
        string="Reminders Responsible",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Follows the reminders of customers without a reminder responsible "
        "of their own: their activities go to this user (else to the "
        "customer's salesperson).",
    )
    dunning_last_run_date = fields.Datetime(string="Last Run of the Daily Job", readonly=True)
    dunning_last_run_summary = fields.Char(string="What the Last Run Did", readonly=True)
    dunning_run_requested_uid = fields.Many2one(
        "res.users",
        string="Run Requested By",
        readonly=True,
        help="Who asked for Run Now: told what the job did when it is done.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_dunning_settings(vals_list)
        companies = super().create(vals_list)
        companies._dunning_setup_company()
        return companies

    def write(self, vals):
        self._check_dunning_settings([vals])
        res = super().write(vals)
        if "dunning_default_plan_id" in vals:
            # the plan of the customers without a plan of their own or for
            # their type: their open invoices follow the new one at once
            self.env["account.move"]._dunning_recompute_plan(self)
        return res

    @api.model
    def _check_dunning_settings(self, vals_list):
        """The reminder settings typed, checked before they are saved (the
        settings screen writes them here): rates and days within their
        bounds, one valid internal copy address."""
        check_bounds(self, vals_list, _DUNNING_BOUNDS)
        for vals in vals_list:
            check_email(
                self.env,
                vals.get("dunning_internal_email"),
                self._fields["dunning_internal_email"]._description_string(self.env),
            )

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
        companies = self.sudo().filtered(lambda company: not company.dunning_default_plan_id)
        if not companies:
            return
        vals_list = []
        for company in companies:
            vals = company.with_context(lang="en_US")._dunning_default_plan_values()
            vals["is_default"] = True
            vals_list.append(vals)
        self.env["account.dunning.plan"].sudo().with_context(lang="en_US").create(vals_list)
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        companies._dunning_translate_default_plans(langs, overwrite=True)

    def _dunning_translate_default_plans(self, langs, overwrite=False):
        """Write the texts of the companies' default plans in ``langs``, from
        the module's own translations.

        The plan is data, created in the languages installed at that time:
        this runs when it is created and again whenever Odoo loads the
        module's terms (a language installed later, "Update Terms"), so that
        customers of a language added after the module get letters in it.
        Only a text whose English is still the shipped one is translated: a
        text a manager rewrote is theirs, in every language. Unless
        ``overwrite`` (Odoo's "Overwrite Existing Terms"), a translation
        already there, which a manager may have corrected, is kept too.
        """
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        langs = [lang for lang in dict.fromkeys(langs) if lang != "en_US" and lang in installed]
        companies = self.sudo().filtered("dunning_default_plan_id")
        if not langs or not companies:
            return
        level_fields = self.env["account.dunning.level"]._fields

        def key(fname, text):
            """What a text is compared by: an HTML text by its terms (its
            paragraphs), which the sanitizer's rewriting leaves alone."""
            if fname in _LEVEL_TRANSLATED_HTML:
                return tuple(level_fields[fname].get_trans_terms(text or ""))
            return text

        def translations(record, fnames, shipped, lang):
            """{field: translation} of the ``record``'s texts that are still
            the shipped English ones and, unless overwrite, not translated
            into ``lang`` yet (read in ``lang``, they fall back to English).
            A term the .po file leaves untranslated is not copied: a copy
            would stay behind when a manager later edits the English."""
            current = record.with_context(lang=lang)
            result = {}
            for fname in fnames:
                english = key(fname, record[fname])
                text = shipped[fname].get(english)
                if (
                    text is not None
                    and key(fname, text) != english
                    and (overwrite or current[fname] == record[fname])
                ):
                    result[fname] = text
            return result

        for company in companies:
            plan = company.dunning_default_plan_id.with_context(lang="en_US")
            english = company.with_context(lang="en_US")._dunning_default_plan_values()
            for lang in langs:
                local = company.with_context(lang=lang)._dunning_default_plan_values()
                # {field: {shipped English text (its key): its translation}}
                plan_texts = {f: {key(f, english[f]): local[f]} for f in _PLAN_TRANSLATED}
                level_texts = {
                    fname: {
                        key(fname, en[2][fname]): tr[2][fname]
                        for en, tr in zip(english["level_ids"], local["level_ids"], strict=True)
                    }
                    for fname in _LEVEL_TRANSLATED + _LEVEL_TRANSLATED_HTML
                }
                if vals := translations(plan, _PLAN_TRANSLATED, plan_texts, lang):
                    plan.with_context(lang=lang).write(vals)
                for level in plan.level_ids:
                    if vals := translations(level, _LEVEL_TRANSLATED, level_texts, lang):
                        level.with_context(lang=lang).write(vals)
                    for fname, text in translations(
                        level, _LEVEL_TRANSLATED_HTML, level_texts, lang
                    ).items():
                        level._dunning_translate_html(fname, lang, text)

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
        # The letter and the email open with a greeting that fits the
        # customer, and recall earlier reminders only when there were some
        # (see account.dunning): these texts claim neither.
        levels = [
            {
                "name": self.env._("Statement of unpaid invoices"),
                "severity": 1,
                "days": 5,
                "send_email": True,
                "mail_template_id": template("mail_template_dunning_level_1"),
                "letter_subject": self.env._("Statement of unpaid invoices"),
                "letter_intro": Markup("<p>%s</p>")
                % self.env._(
                    "Unless we are mistaken, the invoices below are past "
                    "their due date and still unpaid."
                ),
                "auto_send": True,
            },
            {
                "name": self.env._("Second reminder"),
                "severity": 2,
                "days": 15,
                "send_email": True,
                "mail_template_id": template("mail_template_dunning_level_2"),
                "letter_subject": self.env._("Second payment reminder"),
                "letter_intro": Markup("<p>%s</p>")
                % self.env._(
                    "We have not yet received the payment of the invoices "
                    "below, which are past their due date."
                ),
                "auto_send": True,
            },
            {
                "name": self.env._("Third reminder"),
                "severity": 3,
                "days": 30,
                "send_email": True,
                "send_letter": True,
                "mail_template_id": template("mail_template_dunning_level_3"),
                "letter_subject": self.env._("Third payment reminder"),
                "letter_intro": Markup("<p>%s</p>")
                % self.env._(
                    "The invoices below are still unpaid. We ask you to "
                    "settle them within eight days."
                ),
            },
            {
                "name": self.env._("Formal notice"),
                "severity": 5,
                "days": 45,
                "send_email": True,
                "send_letter": True,
                "letter_kind": "formal_notice",
                "letter_registered": True,
                "mail_template_id": template("mail_template_dunning_level_4"),
                "letter_subject": self.env._("Formal notice to pay"),
                "letter_intro": Markup("<p>%s</p>")
                % self.env._(
                    "We hereby give you formal notice to pay the amount "
                    "below within eight days of receiving this letter, "
                    "failing which we will take legal action to recover it."
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
