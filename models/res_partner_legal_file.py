# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import zipfile

from odoo import api, fields, models
from odoo.tools import format_date

from .dunning_inputs import DUNNING_READ_GROUPS
from .dunning_tools import check_dunning_access, safe_filename

LEGAL_FILE_MIMETYPE = "application/zip"


class ResPartner(models.Model):
    """Prepare the Legal File: the customer's claim and its documents in
    one ZIP (``account.dunning.legal.file``), listed on the customer's tab
    and held by its litigation or its formal notice."""

    _inherit = "res.partner"

    dunning_legal_file_ids = fields.Many2many(
        "ir.attachment",
        string="Legal Files",
        compute="_compute_dunning_legal_file_ids",
        groups=DUNNING_READ_GROUPS,
        help="The legal files prepared for this customer in this company, newest first.",
    )

    def _dunning_make_legal_file(self, road=None, agency=None):
        """The legal file of this customer (its commercial partner) in the
        current company for ``road`` (its litigation's road by default,
        else the order for payment): a ZIP of the documents of
        ``account.dunning.legal.file._get_documents``, named "Legal File -
        <customer> - <date>.zip", listed on the customer's tab
        (``dunning_legal_file_ids``; a note in its history says it was
        made), held by its open litigation (``legal_file_id``), else by the
        formal notice it rests on. Reminder users only;
        refused before a formal notice's deadline passed. Returns the
        ``ir.attachment``. ``agency``: the collection agency the cover
        letter goes to, when it is not the litigation's (a hand-off)."""
        self.ensure_one()
        check_dunning_access(self.env, "user", self.env._("prepare legal files"))
        partner = self.commercial_partner_id
        company = self.env.company
        LegalFile = self.env["account.dunning.legal.file"]
        litigation = partner.with_company(company).dunning_litigation_id
        road = road or litigation.road or "order_for_payment"
        documents = LegalFile._get_documents(partner, company, road, agency=agency)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in documents:
                archive.writestr(name, content)
        today = self.env["account.dunning.engine"]._get_today(company)
        lang_env = self.with_context(lang=LegalFile._get_lang()).env
        name = safe_filename(
            lang_env._(
                "Legal File - %(customer)s - %(date)s.zip",
                customer=partner.name,
                date=today.isoformat(),
            )
        )
        # Who may read the file is who may read the claim: the attachment
        # is held by the open litigation, else by the formal notice the file
        # rests on, both of the company, readable by reminder users and
        # read-only accountants of that company alone (their access rights
        # and record rules: an attachment is read with its record's). Held
        # by the customer, every employee who reads the contact, in any
        # company sharing it, would download the claim. The customer's tab
        # lists them (``dunning_legal_file_ids``). Created as the superuser:
        # the file is the company's, whatever the user's rights on
        # attachments, once they may make it.
        holder = litigation or LegalFile._get_formal_notice(partner, company)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": buffer.getvalue(),
                    "mimetype": LEGAL_FILE_MIMETYPE,
                    "res_model": holder._name,
                    "res_id": holder.id,
                    "company_id": company.id,
                }
            )
        )
        if litigation:
            litigation.sudo().legal_file_id = attachment
        body = self.env._(
            "Legal file prepared on %(date)s in %(company)s (%(road)s): %(count)s documents.",
            date=format_date(self.env, today),
            company=company.name,
            road=LegalFile._get_road_label(road, self.env),
            count=len(documents),
        )
        # the customer's history says it, without the file: its chatter is
        # read by every employee who reads the contact
        partner.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        holder.sudo().message_post(
            body=body, attachment_ids=attachment.ids, subtype_xmlid="mail.mt_note"
        )
        return attachment

    @api.depends_context("company")
    def _compute_dunning_legal_file_ids(self):
        """The legal files of each customer (its commercial partner) in the
        current company, newest first: the ZIPs held by its litigations and
        its formal notices there (``_dunning_make_legal_file``), those the
        user may read."""
        company = self.env.company
        commercials = self.commercial_partner_id
        notices = self.env["account.dunning"].search(
            [
                ("partner_id", "in", commercials.ids),
                ("company_id", "=", company.id),
                ("level_id.letter_kind", "=", "formal_notice"),
            ]
        )
        litigations = self.env["account.dunning.litigation"].search(
            [("partner_id", "in", commercials.ids), ("company_id", "=", company.id)]
        )
        attachments = self.env["ir.attachment"].search(
            [
                ("mimetype", "=", LEGAL_FILE_MIMETYPE),
                "|",
                "&",
                ("res_model", "=", notices._name),
                ("res_id", "in", notices.ids),
                "&",
                ("res_model", "=", litigations._name),
                ("res_id", "in", litigations.ids),
            ],
            order="id desc",
        )
        owners = {(notices._name, notice.id): notice.partner_id for notice in notices}
        owners.update({(litigations._name, lit.id): lit.partner_id for lit in litigations})
        for partner in self:
            partner.dunning_legal_file_ids = attachments.filtered(
                lambda att, partner=partner: owners.get((att.res_model, att.res_id))
                == partner.commercial_partner_id
            )

    def action_dunning_prepare_legal_file(self):
        """Prepare the Legal File: for a customer in litigation, the file
        of its litigation's road, downloaded at once; otherwise a form asks
        the road first (``account.dunning.legal.file.wizard``). Refused
        (saying why) before a formal notice was sent in this company and,
        once the day it reached the customer is known, before its deadline
        passed."""
        self.ensure_one()
        check_dunning_access(self.env, "user", self.env._("prepare legal files"))
        partner = self.commercial_partner_id
        company = self.env.company
        self.env["account.dunning.legal.file"]._check_can_prepare(partner, company)
        litigation = partner.with_company(company).dunning_litigation_id
        if litigation:
            return partner._dunning_legal_file_download(partner._dunning_make_legal_file())
        return self.env["account.dunning.legal.file.wizard"]._action_open(partner)

    def _dunning_legal_file_download(self, attachment):
        """The action that downloads ``attachment`` and closes the dialog
        it was asked from (with a "download" target, the web client leaves
        the dialog open)."""
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "close": True,
        }


class AccountDunningLitigation(models.Model):
    """Prepare the Legal File from the litigation: its road's file."""

    _inherit = "account.dunning.litigation"

    def action_prepare_legal_file(self):
        """The legal file of the litigation's customer in its company, for
        its road, kept on it and downloaded."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        attachment = partner._dunning_make_legal_file(road=self.road)
        return partner._dunning_legal_file_download(attachment)
