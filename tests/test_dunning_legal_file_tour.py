# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import zipfile
from datetime import timedelta

from freezegun import freeze_time
from markupsafe import escape

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import format_date

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningLegalFileTour(DunningCommon, HttpCase):
    """In French, in a real browser: from the customer whose formal notice
    went unanswered, Prepare the Legal File, the road chosen, the ZIP
    downloaded; then, read from the database, the file kept on the customer
    with the documents a court needs.

    The browser runs on the real clock: the invoices and the formal notice
    are dated from today (the notice made on its day, frozen)."""

    def test_legal_file_tour_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning"], ["fr_FR"], overwrite=True
        )
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        self.notice.letter_registered = True
        customer = self.env["res.partner"].create(
            {
                "name": "Maçonnerie Lambert SARL",
                "is_company": True,
                "street": "12 rue Nationale",
                "zip": "37000",
                "city": "Tours",
                "country_id": self.env.ref("base.fr").id,
                "company_registry": "RCS Tours 517 348 629",
                "email": "compta@lambert.test",
                "lang": "fr_FR",
            }
        )
        today = fields.Date.context_today(self.env["res.partner"])
        first = self._invoice(600, today - timedelta(days=80), partner=customer, currency=eur)
        second = self._invoice(300, today - timedelta(days=60), partner=customer, currency=eur)
        invoices = first | second
        # the formal notice, 30 days ago, by registered letter posted that
        # day; signed for three days later: 8 days to pay, long past
        with freeze_time(today - timedelta(days=30)):
            invoices.sudo().write({"dunning_level_id": self.second.id})
            notice = self._remind(self._state(invoices))
            self.assertEqual(notice.level_id, self.notice)
            notice._mark_letters_posted({notice.id: "1A 123 456 7890 1"})
        notice._record_registered_receipt("1A 123 456 7890 1", ack_date=today - timedelta(days=27))
        self.assertEqual(notice.notice_deadline, today - timedelta(days=19))
        user = self._user("tour_legal_user", "account.group_account_invoice")
        user.lang = "fr_FR"

        self.start_tour("/odoo", "account_dunning_legal_file_tour", login=user.login)

        # the file is listed on the customer's tab, held by the formal
        # notice it rests on (the customer is not in litigation)
        attachment = customer.with_user(user).dunning_legal_file_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual((attachment.res_model, attachment.res_id), ("account.dunning", notice.id))
        self.assertEqual(attachment.mimetype, "application/zip")
        # in French, as the court reads it (the names through the module's
        # French terms, whichever are translated)
        fr = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.assertEqual(
            attachment.name,
            fr._(
                "Legal File - %(customer)s - %(date)s.zip",
                customer=customer.name,
                date=today.isoformat(),
            ),
        )
        titles = [
            fr._("Annex to the Order for Payment Request"),
            fr._("Claim Summary"),
            fr._("Invoice %(number)s", number=first.name),
            fr._("Invoice %(number)s", number=second.name),
            fr._("Formal Notice %(ref)s", ref=notice.name),
            fr._("Reminder History"),
            fr._("Outstanding Statement"),
        ]
        archive = zipfile.ZipFile(io.BytesIO(attachment.raw))
        self.assertEqual(
            archive.namelist(),
            [
                f"{index:02d} - {title}.pdf".replace("/", "-")
                for index, title in enumerate(titles, start=1)
            ],
        )
        for name in archive.namelist():
            self.assertTrue(archive.read(name), name)
        # under test the reports are their HTML: the claim summary in
        # French, for this customer, its principal the French way
        summary = archive.read(archive.namelist()[1]).decode()
        self.assertIn('data-oe-lang="fr_FR"', summary)
        self.assertIn("Maçonnerie Lambert SARL", summary)
        self.assertIn("900,00", summary)
        self.assertIn("517 348 629", summary)  # the debtor's SIREN
        # the formal notice as it was sent
        self.assertEqual(archive.read(archive.namelist()[4]), notice.letter_attachment_id.raw)
        # not in litigation for all that: the file was only prepared
        self.assertFalse(customer.dunning_litigation_id)
        # the customer's history says so, in French, without the file (its
        # chatter is read by whoever reads the contact); the notice's holds it
        roads = dict(
            self.env["account.dunning.litigation"]._fields["road"]._description_selection(fr)
        )
        said = fr._(
            "Legal file prepared on %(date)s in %(company)s (%(road)s): %(count)s documents.",
            date=format_date(fr, today),
            company=self.company.name,
            road=roads["order_for_payment"],
            count=7,
        )
        note = customer.message_ids[0]
        self.assertIn(escape(said), note.body)
        self.assertFalse(note.attachment_ids)
        self.assertIn(attachment, notice.message_ids.attachment_ids)
