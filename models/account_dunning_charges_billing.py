# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .dunning_engine_owned import engine_writes
from .dunning_tools import check_dunning_access


class AccountDunningCharges(models.AbstractModel):
    """Invoicing and waiving the late-payment charges still owed
    (``account.move._get_dunning_charges``, ``penalty_due`` and
    ``indemnity_due``): a charges invoice has one line per invoice charged
    and kind of charge, linked to that invoice, so that what was invoiced
    is read from the charges invoices not cancelled; a waiver is an
    ``account.dunning.charge.waiver``. Only reminder managers do either."""

    _inherit = "account.dunning.charges"

    @api.model
    def _check_charges_access(self):
        """Only reminder managers invoice or waive late-payment charges."""
        check_dunning_access(
            self.env, "manager", self.env._("invoice or waive late-payment charges")
        )

    @api.model
    def _get_chargeable_moves(self, partners=None):
        """The invoices that may owe charges: posted customer invoices of
        the current companies (of ``partners`` if given) past their due
        date, from the last two years. The *Late-Payment Charges* screen
        and *Invoice the Charges* on a customer read these."""
        today = fields.Date.context_today(self)
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("company_id", "in", self.env.companies.ids),
            ("invoice_date_due", "<", today),
            ("invoice_date", ">=", today - relativedelta(years=2)),
        ]
        if partners:
            domain.append(("commercial_partner_id", "in", partners.commercial_partner_id.ids))
        return self.env["account.move"].search(domain)

    @api.model
    def _get_to_charge(self, moves, date):
        """{(company, customer, currency): [(invoice, penalty, indemnity)]}:
        the charges still owed on ``moves`` at ``date``, that is what was
        not invoiced or waived yet."""
        groups = {}
        for move_id, charge in moves._get_dunning_charges(date).items():
            if not (charge["penalty_due"] or charge["indemnity_due"]):
                continue
            move = moves.browse(move_id)
            key = (move.company_id, move.commercial_partner_id, move.currency_id)
            groups.setdefault(key, []).append(
                (move, charge["penalty_due"], charge["indemnity_due"])
            )
        for items in groups.values():
            items.sort(key=lambda item: (item[0].invoice_date_due, item[0].name))
        return groups

    @api.model
    def _get_to_charge_with(self, moves, date, amounts):
        """``_get_to_charge`` with the ``amounts`` a user chose instead,
        {invoice id: (penalty, indemnity)}: at most what is owed, none
        below zero; invoices left at zero are left out."""
        groups = self._get_to_charge(moves, date)
        if amounts is None:
            return groups
        chosen = {}
        for key, items in groups.items():
            currency = key[2]
            for move, penalty, indemnity in items:
                new_penalty, new_indemnity = amounts.get(move.id, (0.0, 0.0))
                for new, owed in ((new_penalty, penalty), (new_indemnity, indemnity)):
                    if currency.compare_amounts(new, 0) < 0 or (
                        currency.compare_amounts(new, owed) > 0
                    ):
                        raise UserError(
                            self.env._(
                                "%(invoice)s: the amounts must be between zero and what "
                                "is still owed (penalties %(penalty)s, indemnity "
                                "%(indemnity)s).",
                                invoice=move.display_name,
                                penalty=currency.format(penalty),
                                indemnity=currency.format(indemnity),
                            )
                        )
                new_penalty, new_indemnity = (
                    currency.round(new_penalty),
                    currency.round(new_indemnity),
                )
                if new_penalty or new_indemnity:
                    chosen.setdefault(key, []).append((move, new_penalty, new_indemnity))
        return chosen

    @api.model
    def _invoice_charges(self, moves, date=None, waive=False, amounts=None, reason=None):
        """Invoice the late-payment charges still owed on ``moves`` at
        ``date`` (today by default), or the ``amounts`` chosen, {invoice id:
        (penalty, indemnity)}: one customer invoice per customer, company
        and currency, with one line per invoice charged and kind of charge,
        from the products of the settings (no tax unless they say so). With
        ``waive``, waive them instead, for ``reason``. Returns the charges
        invoices created."""
        self._check_charges_access()
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        groups = self._get_to_charge_with(moves, date, amounts)
        if not groups:
            raise UserError(self.env._("There are no late-payment charges left to invoice."))
        if waive:
            self._waive(groups, date, reason)
            return self.env["account.move"]
        invoices = self.env["account.move"]
        for (company, partner, currency), items in groups.items():
            # the manager's invoice, with their rights; its lines' links to
            # the invoices charged are the engine's (``engine_writes``)
            with engine_writes():
                invoices |= (
                    self.env["account.move"]
                    .with_company(company)
                    .create(self._prepare_charges_invoice(company, partner, currency, items, date))
                )
            for move, penalty, indemnity in items:
                # a note on an invoice the manager may read, whatever their
                # rights to post on invoices
                move.sudo().message_post(
                    body=self.env._(
                        "Late-payment charges invoiced: penalties %(penalty)s, indemnity "
                        "%(indemnity)s.",
                        penalty=currency.format(penalty),
                        indemnity=currency.format(indemnity),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return invoices

    @api.model
    def _waive(self, groups, date, reason):
        """Record the waivers of the charges of ``groups`` (as
        ``_get_to_charge``)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the late-payment charges are waived."))
        return self.env["account.dunning.charge.waiver"].create(
            [
                {
                    "move_id": move.id,
                    "penalty_amount": penalty,
                    "indemnity_amount": indemnity,
                    "reason": reason,
                    "date": date,
                }
                for items in groups.values()
                for move, penalty, indemnity in items
            ]
        )

    @api.model
    def _prepare_charges_invoice(self, company, partner, currency, items, date):
        """The values of the charges invoice of ``items``, [(invoice,
        penalty, indemnity)], in the customer's language."""
        env = self.with_context(lang=partner.lang or self.env.lang).env
        products = {
            "penalty": company.dunning_penalty_product_id
            or self.env.ref("account_dunning.product_dunning_penalty"),
            "indemnity": company.dunning_indemnity_product_id
            or self.env.ref("account_dunning.product_dunning_indemnity"),
        }
        lines = []
        for move, penalty, indemnity in items:
            for kind, amount, label in (
                (
                    "penalty",
                    penalty,
                    env._("Late-payment penalties on %(invoices)s", invoices=move.name),
                ),
                (
                    "indemnity",
                    indemnity,
                    env._(
                        "Fixed indemnities for recovery costs (article D441-5 of the "
                        "Commercial Code) on %(invoices)s",
                        invoices=move.name,
                    ),
                ),
            ):
                if currency.is_zero(amount):
                    continue
                product = products[kind]
                taxes = product.taxes_id.filtered(lambda tax: tax.company_id == company)
                lines.append(
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": label,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(taxes.ids)],
                            "dunning_charged_move_id": move.id,
                            "dunning_charge_kind": kind,
                        }
                    )
                )
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "currency_id": currency.id,
            "invoice_date": date,
            "invoice_origin": ", ".join(item[0].name for item in items),
            "invoice_line_ids": lines,
        }

    @api.model
    def _action_invoice(self, moves, waive=False):
        """The buttons *Invoice the Charges* and *Waive the Charges*: the
        preview of the charges still owed on ``moves``, to invoice or waive."""
        return self.env["account.dunning.charges.wizard"]._action_open(moves, waive=waive)

    @api.model
    def _action_open_invoices(self, invoices):
        """The charges invoices just made, opened."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update({"views": [(False, "form")], "res_id": invoices.id, "view_mode": "form"})
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action

    @api.model
    def _notify_given_back(self, lines, event):
        """Notes on the invoices charged by the charges invoice ``lines``
        (account.move.line) that their charges are owed again, as
        ``event`` says: "cancel" or "delete"; or invoiced again: "draft"
        (a cancelled charges invoice reset to draft)."""
        amounts = {}
        for line in lines:
            key = (line.dunning_charged_move_id, line.move_id)
            penalty, indemnity = amounts.get(key, (0.0, 0.0))
            if line.dunning_charge_kind == "penalty":
                penalty += line.price_subtotal
            else:
                indemnity += line.price_subtotal
            amounts[key] = (penalty, indemnity)
        for (charged, invoice), (penalty, indemnity) in amounts.items():
            values = {
                "invoice": invoice.name
                if invoice.name not in (False, "/")
                else invoice.display_name,
                "penalty": invoice.currency_id.format(penalty),
                "indemnity": invoice.currency_id.format(indemnity),
            }
            if event == "cancel":
                body = self.env._(
                    "Charges invoice %(invoice)s cancelled: the late-payment charges it "
                    "invoiced (penalties %(penalty)s, indemnity %(indemnity)s) are owed again.",
                    **values,
                )
            elif event == "delete":
                body = self.env._(
                    "Charges invoice %(invoice)s deleted: the late-payment charges it "
                    "invoiced (penalties %(penalty)s, indemnity %(indemnity)s) are owed again.",
                    **values,
                )
            else:
                body = self.env._(
                    "Charges invoice %(invoice)s reset to draft: its late-payment charges "
                    "(penalties %(penalty)s, indemnity %(indemnity)s) are invoiced again.",
                    **values,
                )
            # a note on an invoice the user may read, whatever their rights
            # to post on it
            charged.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
