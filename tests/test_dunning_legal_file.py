# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.account_dunning_legal_file import CLAIM_REPORT, AccountDunningLegalFile
from .common import DunningCommon

GET_LANG = AccountDunningLegalFile._get_lang
LINKS = re.compile(r"<link[^>]*>|<script[^>]*>.*?</script>", re.S)


def _offline(html):
    """``html`` without the style sheets and scripts wkhtmltopdf would ask
    this test's own server for while the test holds the transaction."""
    return LINKS.sub("", html)


@tagged("post_install", "-at_install")
class TestDunningLegalFile(DunningCommon):
    """Prepare the Legal File: the claim is the engine's (what is left of
    each invoice, the charges still owed), computed by hand here; the ZIP
    holds the listed documents; only after a formal notice whose deadline
    passed; amounts per currency; reminder users only.

    Figures by hand: penalties = amount due x yearly rate x days / 365, at
    2.15 + 10 = 12.15 % in the first half of 2026; 40 EUR of indemnity per
    invoice paid late by a business."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.plan.level_ids.write({"attach_invoices": False, "attach_letter": False})
        cls.company.write(
            {"city": "Paris", "country_id": cls.env.ref("base.fr").id, "company_registry": ""}
        )
        cls.customer.write(
            {
                "street": "4 avenue Jean Jaurès",
                "zip": "69003",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "company_registry": "RCS Lyon 552 100 554",
                "vat": "FR40552100554",
            }
        )
        cls.user = cls._user("legal_user", "account.group_account_invoice")
        cls.auditor = cls._user("legal_auditor", "base.group_user,account.group_account_readonly")
        cls.manager = cls._user(
            "legal_manager", "account.group_account_invoice,account_dunning.group_dunning_manager"
        )
        # the documents in English, whether French is installed or not (the
        # demo data installs it): the French test puts it back
        cls.startClassPatcher(
            patch.object(AccountDunningLegalFile, "_get_lang", lambda self: "en_US")
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _claim_case(self, pdf=False):
        """Two invoices of 1000 and 600 EUR, 200 paid on the second on
        1 March, a formal notice sent on 20 March (deadline 28 March; its
        letter a real PDF when ``pdf``), then 5.00 of the first one's
        penalties and the second one's indemnity waived. Returns the
        invoices."""
        with freeze_time("2026-01-02"):
            first = self._invoice(1000, "2026-02-01", currency=self.eur)
            second = self._invoice(600, "2026-02-15", invoice_date="2026-01-16", currency=self.eur)
        self._pay(second, 200, "2026-03-01")
        with freeze_time("2026-03-20"):
            (first + second).sudo().write({"dunning_level_id": self.second.id})
            moves = first + second
            if pdf:
                spawn, _run = self._patched_rendering()
                with spawn:
                    notice = self._remind(moves.with_context(force_report_rendering=True))
                self.assertTrue(notice.letter_attachment_id.raw.startswith(b"%PDF"))
            else:
                notice = self._remind(moves)
            self.assertEqual(notice.level_id, self.notice)
            self.assertEqual(notice.notice_deadline, date(2026, 3, 28))
        with freeze_time("2026-04-15"):
            Waiver = self.env["account.dunning.charge.waiver"].with_user(self.manager)
            Waiver.create(
                [
                    {"move_id": first.id, "penalty_amount": 5.0, "reason": "Gesture"},
                    {"move_id": second.id, "indemnity_amount": 40.0, "reason": "Gesture"},
                ]
            )
        return first, second

    def _claim(self, partner=None):
        return self.env["account.dunning.legal.file"]._get_claim(
            partner or self.customer, self.company
        )

    def _registered_notice(self, partner, due="2026-03-01"):
        """The registered formal notice of an invoice of ``partner``, sent
        and posted on 10 April 2026."""
        self.notice.letter_registered = True
        invoice = self._invoice(1000, due, partner=partner, currency=self.eur)
        with freeze_time("2026-04-10"):
            invoice.sudo().write({"dunning_level_id": self.second.id})
            notice = self._remind(invoice)
            self.assertEqual(notice.level_id, self.notice)
            notice._mark_letters_posted({notice.id: "1A 123 456 7890 1"})
        return notice

    def _patched_rendering(self):
        """Real PDFs under test: Odoo's rendering and the module's, without
        the style sheets of this test's server."""
        Report = type(self.env["ir.actions.report"])
        spawn = Report._dunning_spawn_wkhtmltopdf
        run = Report._run_wkhtmltopdf

        def offline_spawn(report, html, args, res_ids):
            return spawn(report, _offline(html), args, res_ids)

        def offline_run(report, bodies, *args, **kwargs):
            for key in ("header", "footer"):
                if kwargs.get(key):
                    kwargs[key] = _offline(kwargs[key])
            return run(report, [_offline(body) for body in bodies], *args, **kwargs)

        return (
            patch.object(Report, "_dunning_spawn_wkhtmltopdf", offline_spawn),
            patch.object(Report, "_run_wkhtmltopdf", offline_run),
        )

    def _zip(self, attachment):
        archive = zipfile.ZipFile(io.BytesIO(attachment.raw))
        return {name: archive.read(name) for name in archive.namelist()}

    # ------------------------------------------------------------------
    # The claim
    # ------------------------------------------------------------------

    def test_claim_is_what_is_still_owed(self):
        first, second = self._claim_case()
        with freeze_time("2026-04-20"):
            claim = self._claim()
            charges = (first + second)._get_dunning_charges()
        self.assertEqual(list(claim), [self.eur])
        section = claim[self.eur]
        invoices = {invoice["move"]: invoice for invoice in section["invoices"]}
        self.assertEqual(list(invoices), [first, second])
        # the first: 78 days late (2 February - 20 April) on 1000, less the
        # 5.00 waived; its indemnity owed
        first_penalty = round(1000 * 0.1215 * 78 / 365, 2)  # 25.96
        self.assertEqual(invoices[first]["penalty"], first_penalty)
        self.assertEqual(invoices[first]["penalty_due"], round(first_penalty - 5.0, 2))  # 20.96
        self.assertEqual(invoices[first]["indemnity_due"], 40.0)
        self.assertEqual(invoices[first]["principal"], 1000.0)
        # the second: 16 February - 1 March on 600 (14 days), then on the 400
        # left (50 days); its indemnity waived
        second_penalty = round(600 * 0.1215 * 14 / 365 + 400 * 0.1215 * 50 / 365, 2)  # 9.45
        self.assertEqual(invoices[second]["penalty_due"], second_penalty)
        self.assertEqual(
            [(p["base"], p["rate"], p["days"]) for p in invoices[second]["periods"]],
            [(600.0, 12.15, 14), (400.0, 12.15, 50)],
        )
        self.assertEqual(invoices[second]["indemnity_due"], 0.0)
        self.assertEqual(invoices[second]["principal"], 400.0)
        self.assertEqual(invoices[second]["residual"], 400.0)
        # the engine's figures, never recomputed
        for move, invoice in invoices.items():
            self.assertEqual(invoice["penalty_due"], charges[move.id]["penalty_due"])
            self.assertEqual(invoice["indemnity_due"], charges[move.id]["indemnity_due"])
            self.assertEqual(invoice["residual"], move.amount_residual)
        self.assertEqual(
            [(p["date"], p["amount"], p["invoice"], p["kind"]) for p in section["payments"]],
            [(date(2026, 3, 1), 200.0, second.name, "payment")],
        )
        self.assertEqual(section["principal"], 1400.0)
        self.assertEqual(section["penalties"], round(first_penalty - 5.0 + second_penalty, 2))
        self.assertEqual(section["indemnities"], 40.0)
        self.assertEqual(section["total"], round(1400 + 20.96 + 9.45 + 40, 2))  # 1470.41
        self.assertEqual(section["interest_from"], date(2026, 2, 2))

    def test_claim_of_two_currencies_is_never_added(self):
        usd = self.company.currency_id
        self.assertNotEqual(usd, self.eur)
        with freeze_time("2026-04-20"):
            self._invoice(1000, "2026-03-01", currency=self.eur)
            self._invoice(500, "2026-03-11", currency=usd)
            claim = self._claim()
            indemnity_usd = self.eur._convert(40.0, usd, self.company, date(2026, 3, 12))
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(
                    CLAIM_REPORT,
                    self.customer.ids,
                    data={"company_id": self.company.id, "date": "2026-04-20"},
                )[0]
                .decode()
            )
        # the company's currency first, each in its own
        self.assertEqual(list(claim), [usd, self.eur])
        # 50 days on 1000 EUR, 40 days on 500 USD, at 12.15 %
        eur_total = round(1000 + round(1000 * 0.1215 * 50 / 365, 2) + 40, 2)  # 1056.64
        usd_total = round(500 + round(500 * 0.1215 * 40 / 365, 2) + indemnity_usd, 2)
        self.assertEqual(claim[self.eur]["total"], eur_total)
        self.assertEqual(claim[usd]["total"], usd_total)
        totals = re.findall(r'name="total">([^<]*)<', html)
        self.assertEqual(len(totals), 2)
        self.assertIn("1,056.64", totals[1])
        self.assertIn(f"{usd_total:,.2f}", totals[0])
        self.assertNotIn(f"{eur_total + usd_total:,.2f}", html)
        self.assertIn("not added", html)

    # ------------------------------------------------------------------
    # The file
    # ------------------------------------------------------------------

    def test_legal_file_holds_the_documents_as_pdf(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext is not installed")
        first, second = self._claim_case(pdf=True)
        with freeze_time("2026-04-20"):
            litigation = self.customer._dunning_open_litigation("order_for_payment")
            spawn, run = self._patched_rendering()
            with spawn, run:
                action = (
                    self.customer.with_user(self.user)
                    .with_context(force_report_rendering=True)
                    .action_dunning_prepare_legal_file()
                )
        attachment = litigation.legal_file_id
        self.assertTrue(attachment)
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        # held by the litigation (its readers alone read it), listed on
        # the customer's tab
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (litigation._name, litigation.id)
        )
        self.assertEqual(self.customer.dunning_legal_file_ids, attachment)
        self.assertEqual(attachment.name, "Legal File - Dupont SARL - 2026-04-20.zip")
        notice = self.env["account.dunning.legal.file"]._get_formal_notice(
            self.customer, self.company
        )
        files = self._zip(attachment)

        self.assertEqual(
            list(files),
            [
                "01 - Annex to the Order for Payment Request.pdf",
                "02 - Claim Summary.pdf",
                f"03 - Invoice {first.name}.pdf".replace("/", "-"),
                f"04 - Invoice {second.name}.pdf".replace("/", "-"),
                f"05 - Formal Notice {notice.name}.pdf".replace("/", "-"),
                "06 - Reminder History.pdf",
                "07 - Outstanding Statement.pdf",
            ],
        )
        for name, content in files.items():
            self.assertTrue(content.startswith(b"%PDF"), name)
        # the formal notice as it was sent
        self.assertEqual(
            files[f"05 - Formal Notice {notice.name}.pdf".replace("/", "-")],
            notice.letter_attachment_id.raw,
        )
        # the claim summary says what is claimed
        text = self._pdf_text(files["02 - Claim Summary.pdf"])
        self.assertIn("1,470.41", text)
        self.assertIn("20.96", text)  # the first invoice's penalties, less the waiver
        self.assertIn("552 100 554", text)  # the debtor's SIREN
        self.assertIn("SARL", text)  # its legal form
        # the request: the court, the form, the documents
        text = self._pdf_text(files["01 - Annex to the Order for Payment Request.pdf"])
        self.assertIn("12946", text)
        self.assertIn("Commercial Court of Lyon", text)
        self.assertIn("07 - Outstanding Statement", text)
        text = self._pdf_text(files["06 - Reminder History.pdf"])
        self.assertIn(notice.name, text)
        # said in the customer's history (without the file: its chatter is
        # every employee's), the file in the litigation's
        self.assertIn("Legal file prepared", self.customer.message_ids[0].body)
        self.assertIn(attachment, litigation.message_ids[0].attachment_ids)

    def _pdf_text(self, pdf):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            return subprocess.run(
                ["pdftotext", "-layout", file.name, "-"], capture_output=True, check=True
            ).stdout.decode()

    @freeze_time("2026-04-20")
    def test_small_claims_letter_within_its_limit(self):
        invoice = self._invoice(1000, "2026-02-01", currency=self.eur)
        with freeze_time("2026-03-20"):
            invoice.sudo().dunning_level_id = self.second
            self._remind(invoice)
        files = self._zip(self.customer._dunning_make_legal_file(road="small_claims"))
        letter = files["01 - Letter to the Commissaire de Justice.pdf"].decode()
        self.assertIn("R125-1", letter)
        self.assertIn("5,000 EUR", letter)
        # above 5,000 EUR in principal and interest: refused
        self._invoice(4200, "2026-03-01", currency=self.eur)
        with self.assertRaisesText(UserError, "choose the order for payment"):
            self.customer._dunning_make_legal_file(road="small_claims")
        action = self.customer.action_dunning_prepare_legal_file()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.road, "order_for_payment")
        self.assertTrue(wizard.small_claims_warning)
        self.assertIn("total claimed", wizard.claim_text)

    def test_documents_in_french_when_french_is_installed(self):
        self._claim_case()
        self.env["res.lang"]._activate_lang("fr_FR")
        with (
            freeze_time("2026-04-20"),
            patch.object(AccountDunningLegalFile, "_get_lang", GET_LANG),
        ):
            documents = dict(
                self.env["account.dunning.legal.file"]._get_documents(
                    self.customer, self.company, "order_for_payment"
                )
            )
        summary = next(
            content for name, content in documents.items() if name.startswith("02 - ")
        ).decode()
        self.assertIn('data-oe-lang="fr_FR"', summary)
        self.assertIn("20 avril 2026", summary)
        self.assertRegex(summary, r"1\W{1,6}470,41")  # the French way of the total

    # ------------------------------------------------------------------
    # When it is refused
    # ------------------------------------------------------------------

    @freeze_time("2026-04-20")
    def test_refused_without_a_formal_notice(self):
        self._invoice(1000, "2026-02-01", currency=self.eur)
        with self.assertRaisesText(UserError, "No formal notice was sent to Dupont SARL"):
            self.customer.with_user(self.user).action_dunning_prepare_legal_file()
        with self.assertRaisesText(UserError, "No formal notice"):
            self.customer._dunning_make_legal_file()
        self.assertFalse(self.customer.dunning_legal_file_ids)

    def test_refused_before_the_deadline_once_the_receipt_is_recorded(self):
        notice = self._registered_notice(self.customer)
        with freeze_time("2026-04-14"):
            # posted, its acknowledgement not back: the file may be made
            self.assertFalse(notice.notice_deadline)
            self.assertTrue(self.customer._dunning_make_legal_file())
            notice._record_registered_receipt(notice.registered_number, ack_date="2026-04-14")
        self.assertEqual(notice.notice_deadline, date(2026, 4, 22))
        with freeze_time("2026-04-22"), self.assertRaisesText(UserError, "until 04/22/2026"):
            self.customer.with_user(self.user).action_dunning_prepare_legal_file()
        with freeze_time("2026-04-23"):
            action = self.customer.with_user(self.user).action_dunning_prepare_legal_file()
        self.assertEqual(action["res_model"], "account.dunning.legal.file.wizard")
        wizard = self.env[action["res_model"]].with_user(self.user).browse(action["res_id"])
        with freeze_time("2026-04-23"):
            download = wizard.action_prepare()
        self.assertIn("/web/content/", download["url"])

    def test_notice_of_another_company_does_not_count(self):
        other = self.setup_other_company()["company"]
        self._registered_notice(self.customer)
        with freeze_time("2026-04-20"), self.assertRaisesText(UserError, other.name):
            self.env["account.dunning.legal.file"].with_company(other)._check_can_prepare(
                self.customer, other
            )

    def test_read_only_user_is_refused(self):
        self._registered_notice(self.customer)
        with freeze_time("2026-04-20"):
            with self.assertRaisesText(AccessError, "Only payment reminder users may"):
                self.customer.with_user(self.auditor).action_dunning_prepare_legal_file()
            with self.assertRaisesText(AccessError, "Only payment reminder users may"):
                self.customer.with_user(self.auditor)._dunning_make_legal_file()
            with self.assertRaisesText(AccessError, "Only payment reminder users may"):
                self.env["account.dunning.legal.file"].with_user(self.auditor)._get_documents(
                    self.customer, self.company, "lawyer"
                )
            # a reminder user may
            attachment = self.customer.with_user(self.user)._dunning_make_legal_file(road="lawyer")
        self.assertIn("01 - Cover Letter to the Lawyer.pdf", self._zip(attachment))
        # from the litigation's form: the file of its road, kept on it
        with freeze_time("2026-04-20"):
            litigation = self.customer._dunning_open_litigation("agency")
            action = litigation.with_user(self.user).action_prepare_legal_file()
        self.assertEqual(action["url"], f"/web/content/{litigation.legal_file_id.id}?download=true")
        self.assertIn(
            "01 - Cover Letter to the Collection Agency.pdf", self._zip(litigation.legal_file_id)
        )
        # handed to an agency: the letter is addressed to it
        agency = self.env["res.partner"].create(
            {"name": "Recouvre SAS", "is_company": True, "city": "Nantes"}
        )
        with freeze_time("2026-04-20"):
            files = self._zip(self.customer._dunning_make_legal_file(road="agency", agency=agency))
        letter = files["01 - Cover Letter to the Collection Agency.pdf"].decode()
        self.assertIn("Recouvre SAS", letter)
