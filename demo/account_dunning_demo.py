# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models

from ..models.account_dunning import LETTER_REPORT
from ..models.account_dunning_channel_mixin import CHANNELS


class AccountDunningDemo(models.AbstractModel):
    """What the demo data (demo/account_dunning_demo.xml) needs beyond
    records: a language, translated texts, and reminders of the past weeks
    made by the engine as a user would have made them, then dated back."""

    _name = "account.dunning.demo"
    _description = "Payment Reminders Demo Data"

    @api.model
    def _install_language(self, code):
        """Activate the language ``code`` with the terms of the installed
        modules, unless it is active already (``make demo`` loads French
        when it creates the database)."""
        if self.env["res.lang"]._lang_get(code):
            return
        self.env["res.lang"]._activate_lang(code)
        modules = self.env["ir.module.module"].search([("state", "=", "installed")])
        modules._update_translations(code)

    @api.model
    def _translate(self, xmlid, lang, values):
        """Write ``values``, texts of the record ``xmlid``, in ``lang``."""
        self.env.ref(xmlid).with_context(lang=lang).write(values)

    @api.model
    def _write_level_texts(self, plan, days, lang, name, subject, intro, closing):
        """The texts of the level of ``days`` days of the plan ``plan`` (an
        xml id) in ``lang``: in English first, then translated (the HTML
        texts paragraph by paragraph, as Odoo translates them)."""
        level = self.env["account.dunning.level"].search(
            [("plan_id", "=", self.env.ref(plan).id), ("days", "=", days)]
        )
        level = level.with_context(lang=lang)
        if lang == "en_US":
            level.write(
                {
                    "name": name,
                    "letter_subject": subject,
                    "letter_intro": intro,
                    "letter_closing": closing,
                }
            )
            return
        level.write({"name": name, "letter_subject": subject})
        level._dunning_translate_html("letter_intro", lang, intro)
        level._dunning_translate_html("letter_closing", lang, closing)

    @api.model
    def _has_history(self):
        """Whether the company has reminders already: the history is made once."""
        return bool(
            self.env["account.dunning"].search_count(
                [("company_id", "=", self.env.company.id)], limit=1
            )
        )

    @api.model
    def _remind(
        self,
        invoices,
        days_ago,
        level_days=None,
        channels=None,
        call=None,
        delivered=False,
        posted=False,
        registered=None,
    ):
        """A reminder of the invoices (xml ids) made by the engine ``days_ago``
        days back, as a user would have made it then from the workbench (at
        the level of ``level_days`` days of their plan when not the advised
        one; with ``channels`` added to the level's) or by logging a call
        (``call``: outcome, promise_days, note); its email ``delivered``,
        its letter ``posted`` the day after, a registered letter with the
        ``registered`` number, signed for ``ack_days_ago`` days back when
        given ({"number": ..., "ack_days_ago": ...}). Returns the reminders."""
        moves = self.env["account.move"].browse(
            [self.env.ref(f"account_dunning.{xmlid}").id for xmlid in invoices]
        )
        Engine = self.env["account.dunning.engine"]
        Level = self.env["account.dunning.level"]
        proposals = Engine._prepare_proposals(moves, purpose="call" if call else "remind")
        today = fields.Date.context_today(self)
        for proposal in proposals:
            if level_days is not None:
                plan = Level.browse(proposal["level_id"]).plan_id
                level = Level.search([("plan_id", "=", plan.id), ("days", "=", level_days)])
                proposal.update(level._get_channels(), level_id=level.id)
            proposal.update(channels or {})
            if call:
                proposal.update(dict.fromkeys(CHANNELS, False))
                proposal.update(
                    {
                        "call_outcome": call["outcome"],
                        "promise_date": call.get("promise_days")
                        and today + timedelta(days=call["promise_days"]),
                        "comment": call.get("note", False),
                        "move_level": True,
                    }
                )
        since = self._last_message_id()
        reminders = Engine._create_reminders(proposals)
        if delivered:
            # what the mail queue does when the mail server accepts them
            mails = reminders.mail_id.sudo()
            mails.write({"state": "sent"})
            mails._postprocess_sent_message(success_pids=mails.recipient_ids.ids)
        if posted:
            number = (registered or {}).get("number")
            Engine._mark_letters_posted(reminders, {reminder.id: number for reminder in reminders})
        if call and call["outcome"] == "promised":
            for reminder in reminders:
                self._promise(reminder.line_ids.move_id, reminder.promise_date, reminder=reminder)
        self._date_back(reminders, days_ago, since)
        if registered and registered.get("ack_days_ago") is not None:
            self._acknowledge(reminders, registered["ack_days_ago"])
        return reminders

    @api.model
    def _acknowledge(self, reminders, days_ago):
        """The acknowledgements of receipt of the registered letters of
        ``reminders``, signed ``days_ago`` days back, recorded that day."""
        since = self._last_message_id()
        day = fields.Date.context_today(self) - timedelta(days=days_ago)
        for reminder in reminders.filtered("registered_letter"):
            reminder._record_registered_receipt(reminder.registered_number, ack_date=day)
        self._date_messages(since, days_ago)

    @api.model
    def _promise(self, moves, date, note=False, reminder=None):
        """The customer of ``moves`` (records or xml ids) promised to pay
        them all by ``date`` (a date, or a number of days from today)."""
        if isinstance(date, int):
            date = fields.Date.context_today(self) + timedelta(days=date)
        if isinstance(moves, list):
            moves = self.env["account.move"].browse(
                [self.env.ref(f"account_dunning.{xmlid}").id for xmlid in moves]
            )
        # history: a promise recorded back then may be for a day now past,
        # which users may no longer type (the engine's right, as superuser)
        Promise = self.env["account.dunning.promise"].sudo()
        return Promise.create(
            {
                "partner_id": moves.commercial_partner_id.id,
                "company_id": moves.company_id.id,
                "move_ids": [Command.set(moves.ids)],
                "date": date,
                "amount": sum(moves.mapped("amount_residual")),
                "note": note,
                "reminder_id": reminder.id if reminder else False,
            }
        )

    @api.model
    def _paid_history(self, *customers):
        """Two years of invoices of ``customers``, all paid: the customers'
        payment behaviour, their grades and the Collection Overview's
        months. Each customer is a dict: ``partner`` (an xml id), ``label``
        (the invoices' line), ``amounts`` (untaxed, in company currency,
        taken in turn), ``before`` and ``recent`` (how many days past its
        due date each invoice was paid, before it when negative: the
        invoices paid in the year before the last 12 months, then those of
        the last 12, each year's spread evenly over it, oldest first),
        ``kept`` (indexes in ``before`` + ``recent`` of the invoices the
        customer promised a week before to pay on the day it paid them)
        and ``taxed`` (False for a customer abroad: no sales tax).

        Each invoice is due 30 days after its date and paid in full on its
        day by a bank payment; a promise is recorded by the administrator,
        then kept. The invoices and payments are made in a few batches
        (demo install time matters), the payments matched and the promises
        recorded day by day, every note dated the day it happened."""
        admin = self.env.ref("base.user_admin")
        self = self.with_user(admin).with_context(lang=admin.lang, tz=admin.tz)
        company = self.env.company
        today = fields.Date.context_today(self)
        taxes = company.account_sale_tax_id
        invoices = []
        for customer in customers:
            partner = self.env.ref(f"account_dunning.{customer['partner']}")
            amounts = customer["amounts"]
            paid = self._spread_payments(customer["before"], today - relativedelta(years=1))
            paid += self._spread_payments(customer["recent"], today)
            for index, (date_paid, delay) in enumerate(paid):
                due = date_paid - timedelta(days=delay)
                invoices.append(
                    {
                        "partner": partner,
                        "label": customer["label"],
                        "taxes": taxes if customer.get("taxed", True) else taxes.browse(),
                        "amount": amounts[index % len(amounts)],
                        "date": due - timedelta(days=30),
                        "due": due,
                        "paid": date_paid,
                        "promised": index in customer.get("kept", ()),
                    }
                )
        invoices.sort(key=lambda invoice: invoice["date"])
        since = self._last_message_id()
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": invoice["partner"].id,
                    "invoice_date": invoice["date"],
                    "invoice_date_due": invoice["due"],
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": invoice["label"],
                                "quantity": 1,
                                "price_unit": invoice["amount"],
                                "tax_ids": [Command.set(invoice["taxes"].ids)],
                            }
                        )
                    ],
                }
                for invoice in invoices
            ]
        )
        moves.action_post()
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), *self.env["account.journal"]._check_company_domain(company)],
            limit=1,
        )
        payments = self.env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": invoice["partner"].id,
                    "amount": move.amount_total,
                    "date": invoice["paid"],
                    "memo": move.name,
                    "journal_id": journal.id,
                }
                for invoice, move in zip(invoices, moves, strict=True)
            ]
        )
        payments.action_post()
        dates = {}
        for invoice, move, payment in zip(invoices, moves, payments, strict=True):
            invoice.update(move=move, payment=payment)
            dates[move] = invoice["date"]
            dates[payment] = dates[payment.move_id] = invoice["paid"]
        self._date_records_messages(since, dates)
        # then day by day: the promises, the payments matched with their invoices
        events = [(invoice["paid"], 1, invoice) for invoice in invoices]
        events += [
            (invoice["paid"] - timedelta(days=7), 0, invoice)
            for invoice in invoices
            if invoice["promised"]
        ]
        events.sort(key=lambda event: event[:2])
        for day, reconcile, invoice in events:
            since = self._last_message_id()
            if reconcile:
                lines = invoice["move"].line_ids | invoice["payment"].move_id.line_ids
                lines.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                ).reconcile()
                if invoice.get("promise"):
                    invoice["promise"].action_mark_kept()
            else:
                invoice["promise"] = self._promise(
                    invoice["move"],
                    invoice["paid"],
                    note="Promesse de virement obtenue par téléphone.",
                )
            self._date_messages(since, (today - day).days)

    @api.model
    def _spread_payments(self, delays, end):
        """[(payment date, days late)] of invoices paid ``delays`` days
        late, spread evenly over the year up to ``end``, oldest first."""
        count = len(delays)
        return [
            (end - timedelta(days=round(365 * (count - index - 0.5) / count)), delay)
            for index, delay in enumerate(delays)
        ]

    @api.model
    def _date_records_messages(self, since, dates):
        """Date the messages logged after message ``since`` on the records
        of ``dates`` ({record: date}) on their record's date, in the
        morning (tracking included)."""
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking messages, made at commit
        days = {(record._name, record.id): day for record, day in dates.items()}
        messages = self.env["mail.message"].sudo().search([("id", ">", since)])
        by_day = defaultdict(lambda: self.env["mail.message"].sudo())
        for message in messages:
            day = days.get((message.model, message.res_id))
            if day:
                by_day[day] |= message
        for day, dated in by_day.items():
            dated.write({"date": datetime.combine(day, time(8, 30))})

    @api.model
    def _waive(self, invoice, days_ago, penalty, reason):
        """``days_ago`` days back, a manager waived ``penalty`` of the
        late-payment penalties of the invoice (xml id) and its whole
        recovery indemnity, through *Invoice the Charges*."""
        move = self.env.ref(f"account_dunning.{invoice}")
        date = fields.Date.context_today(self) - timedelta(days=days_ago)
        indemnity = move._get_dunning_charges(date)[move.id]["indemnity_due"]
        since = self._last_message_id()
        self.env["account.dunning.charges"]._invoice_charges(
            move, date=date, waive=True, amounts={move.id: (penalty, indemnity)}, reason=reason
        )
        self._date_messages(since, days_ago)

    @api.model
    def _change_settings(self, partner, values, days_ago):
        """A user changed the reminder settings of ``partner`` (an xml id)
        ``days_ago`` days back: its chatter tracks the change."""
        since = self._last_message_id()
        self.env.ref(f"account_dunning.{partner}").write(values)
        self._date_messages(since, days_ago)

    @api.model
    def _bounce(self, reminders):
        """The reminders' emails came back: what Odoo's mail gateway does
        with such a bounce."""
        for reminder in reminders:
            reminder._message_receive_bounce(reminder.email, reminder.contact_id)

    @api.model
    def _dispute(self, invoice, reason, note, days_ago=0):
        """The customer disputes the invoice (xml id), since ``days_ago``
        days back (the Collection Overview shows the disputes' age)."""
        since = self._last_message_id()
        dispute = self.env["account.dunning.dispute"].create(
            {
                "move_id": self.env.ref(f"account_dunning.{invoice}").id,
                "reason": reason,
                "note": note,
                "date": fields.Date.context_today(self) - timedelta(days=days_ago),
            }
        )
        self._date_messages(since, days_ago)
        return dispute

    @api.model
    def _cancel(self, reminders, days_ago):
        """A user cancelled these reminders ``days_ago`` days back."""
        since = self._last_message_id()
        reminders.action_cancel()
        self._date_messages(since, days_ago)

    @api.model
    def _date_back(self, reminders, days_ago, since):
        """Date the reminders ``days_ago`` days back: their date and
        reference, their lines' days late, the invoices' last reminder date,
        the notes logged since message ``since``, and their letters made
        again with that date."""
        today = fields.Date.context_today(self)
        date = today - timedelta(days=days_ago)
        reminders = reminders.sudo()
        references = {}
        for reminder in reminders:
            reference = self._get_dated_reference(reminder, today, date)
            references[reminder.name] = reference
            reminder.write({"date": date, "name": reference})
            if reminder.letter_state == "posted":
                reminder.letter_posted_date = date + timedelta(days=1)
        for line in reminders.line_ids:
            days_overdue = line.days_overdue - days_ago
            line.write({"days_overdue": days_overdue, "is_coming_due": days_overdue <= 0})
        counted = reminders.line_ids.filtered("is_counted").move_id
        self.env["account.move"]._dunning_write_reminder_state(
            [(move.id, move.dunning_level_id.id, date, move.dunning_count) for move in counted]
        )
        self._date_messages(since, days_ago, references)
        with_letter = reminders.filtered("letter_attachment_id")
        if with_letter:
            pdfs = self.env["ir.actions.report"]._dunning_render_pdf_batch(
                LETTER_REPORT, with_letter.ids, standalone=True
            )
            for reminder in with_letter:
                reminder.letter_attachment_id.write(
                    {"raw": pdfs[reminder.id], "name": reminder._get_letter_filename()}
                )

    @api.model
    def _get_dated_reference(self, reminder, today, date):
        """The reference the reminder would have had, made on ``date``
        rather than ``today`` (R-2610-0001 rather than R-2611-0001)."""
        sequence = reminder._get_reference_sequence(reminder.company_id.id)
        if not sequence:
            return reminder.name
        made = sequence._get_prefix_suffix(date=fields.Date.to_string(today))[0]
        dated = sequence._get_prefix_suffix(date=fields.Date.to_string(date))[0]
        if not reminder.name.startswith(made):
            return reminder.name
        return dated + reminder.name[len(made) :]

    @api.model
    def _last_message_id(self):
        return self.env["mail.message"].sudo().search([], order="id desc", limit=1).id or 0

    @api.model
    def _date_messages(self, since, days_ago, references=None):
        """Date the messages logged after message ``since`` (tracking
        included) ``days_ago`` days back, in the morning, with the
        ``references`` they quote ({reference made: dated reference})."""
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking messages, made at commit
        day = fields.Date.context_today(self) - timedelta(days=days_ago)
        messages = self.env["mail.message"].sudo().search([("id", ">", since)])
        messages.write({"date": datetime.combine(day, time(8, 30))})
        for made, dated in (references or {}).items():
            for message in messages:
                if made in (message.body or "") or made in (message.subject or ""):
                    message.write(
                        {
                            "body": Markup(str(message.body).replace(made, dated)),
                            "subject": message.subject and message.subject.replace(made, dated),
                        }
                    )
