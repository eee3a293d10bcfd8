# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The French side of the demo database, run by dev/demo.sh in `odoo shell`
(which provides ``env``). DEMO_STEP says which step:

- ``company``, before accounting is installed: French is loaded beside
  English; the main company becomes a French company in euros (so that
  Odoo installs its French localisation and chart of accounts), with its
  legal identity and bank account; the administrator speaks French.
- ``server``, once everything is installed: what the demo server needs (its
  address for the PDFs' styles and the links, no mail server, the demo
  payment provider of the customer page) and Odoo's own French demo
  company put aside.

Not part of the addon: its demo data works in any company, in any currency.
"""

import base64
import io
import os

from PIL import Image, ImageDraw, ImageFont

from odoo import Command

# A fictitious company: SIREN, SIRET, VAT number and IBAN with valid keys.
SIREN = "842156374"
COMPANY = {
    "name": "Arcadie Services SAS",
    "street": "18 rue de la Roquette",
    "street2": False,
    "zip": "75011",
    "city": "Paris",
    "state_id": False,
    "phone": "+33 1 84 60 12 34",
    "email": "compta@arcadie-services.example.com",
    "website": "https://www.arcadie-services.example.com",
    "vat": f"FR53{SIREN}",
    "company_registry": "842 156 374 R.C.S. Paris",
    "report_footer": "Arcadie Services SAS au capital de 50 000 € - 18 rue de la Roquette, "
    "75011 Paris - R.C.S. Paris 842 156 374 - TVA FR53842156374",
}
SIRET = f"{SIREN}00014"
IBAN = "FR76 1234 5000 0100 0456 7890 146"
BANK = {"name": "Banque Exemple", "bic": "BEXAFRPPXXX"}
# Dollars are worth a little less than euros (the demo rates of Odoo date
# from 2010 and are relative to the dollar).
USD_PER_EUR = 1.08


def logo(name):
    """A plain logo with the company's name, in place of Odoo's "Your logo"."""
    image = Image.new("RGB", (720, 160), "white")
    draw = ImageDraw.Draw(image)
    try:
        big = ImageFont.truetype("DejaVuSans-Bold.ttf", 88)
        small = ImageFont.truetype("DejaVuSans-Bold.ttf", 54)
    except OSError:
        big = small = ImageFont.load_default()
    draw.rounded_rectangle((8, 16, 136, 144), radius=24, fill="#1d5c7a")
    draw.text((72, 80), name[:1], font=big, fill="white", anchor="mm")
    draw.text((164, 80), name, font=small, fill="#1d5c7a", anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


def say(text):
    print(f"[demo]   {text}", flush=True)


def french_company(env):
    """French beside English; the main company in Paris, in euros; the
    admin in French."""
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations("fr_FR")
    company = env.ref("base.main_company")
    eur, usd = env.ref("base.EUR"), env.ref("base.USD")
    (eur | usd).active = True
    company.write(
        dict(
            COMPANY,
            country_id=env.ref("base.fr").id,
            currency_id=eur.id,
            logo=logo("Arcadie Services"),
        )
    )
    company.partner_id.write({"lang": "fr_FR", "tz": "Europe/Paris"})
    env["res.currency.rate"].create(
        [
            {"currency_id": eur.id, "rate": 1.0, "name": "2020-01-01", "company_id": company.id},
            {
                "currency_id": usd.id,
                "rate": USD_PER_EUR,
                "name": "2020-01-01",
                "company_id": company.id,
            },
        ]
    )
    bank = env["res.bank"].create(dict(BANK, country=env.ref("base.fr").id))
    env["res.partner.bank"].create(
        {"acc_number": IBAN, "bank_id": bank.id, "partner_id": company.partner_id.id}
    )
    env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})
    say(f"{company.name}, Paris, {company.currency_id.name}, VAT {company.vat}, IBAN {IBAN}")


def server(env, url):
    """What the demo server needs, and Odoo's FR Company put aside."""
    company = env.ref("base.main_company")
    if "siret" in company._fields:
        company.siret = SIRET
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
    )
    if journal and not journal.bank_account_id:
        journal.bank_account_id = company.partner_id.bank_ids[:1]
    # l10n_fr's demo data adds a second company: the daily job would remind
    # its customers too, and the company switcher would show it
    other = env.ref("base.demo_company_fr", raise_if_not_found=False)
    if other and other != company:
        users = (
            env["res.users"]
            .with_context(active_test=False)
            .search([("company_ids", "in", other.ids)])
        )
        users.write({"company_ids": [Command.unlink(other.id)]})
        other.active = False
        say(f"Odoo's demo company {other.name} archived")
    # wkhtmltopdf fetches the styles of the PDFs from this address
    params = env["ir.config_parameter"].sudo()
    params.set_param("web.base.url", url)
    params.set_param("report.url", url)
    # no mail server: reminder emails wait in the outgoing queue
    # (Settings > Technical > Emails) instead of failing
    queue = env.ref("mail.ir_cron_mail_scheduler_action", raise_if_not_found=False)
    if queue:
        queue.active = False
    say(f"server address {url}; outgoing mail queue paused (no mail server)")
    # the customer page's Pay button: Odoo's demo provider, in test mode
    provider = env.ref("payment.payment_provider_demo", raise_if_not_found=False)
    if provider and provider.code == "demo":
        values = {"state": "test", "is_published": True}
        if provider.company_id != company:
            values["company_id"] = company.id
        provider.write(values)
        say(f"payment provider {provider.name} in test mode for {company.name}")


def main(env):
    step = os.environ["DEMO_STEP"]
    if step == "company":
        french_company(env)
    elif step == "server":
        server(env, os.environ["DEMO_URL"])
    else:
        raise ValueError(f"unknown DEMO_STEP {step}")
    env.cr.commit()


main(env)  # noqa: F821 (odoo shell provides env)
