# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import heapq
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.account_dunning_channel_mixin import CHANNELS
from ..models.dunning_engine_owned import check_readable
from ..models.dunning_fields import WorkbenchOne2many
from ..models.dunning_inputs import FILTER_DAYS_BOUNDS, check_bounds
from ..models.dunning_tools import ListPlaces, bulk_create, check_dunning_access, sql_array

# The workbench's "Days Late" choices: (first day, last day), None for no bound.
AGE_RANGES = {
    "all": (None, None),
    "1_30": (1, 30),
    "31_60": (31, 60),
    "61_90": (61, 90),
    "91": (91, None),
}

QUICK_CHANNELS = {
    "email": {channel: channel == "send_email" for channel in CHANNELS},
    "letter": {channel: channel == "send_letter" for channel in CHANNELS},
}


class AccountDunningWizard(models.TransientModel):
    """The reminder workbench: filter open invoices, select, prepare one
    proposal per customer and currency, check, create and send."""

    _name = "account.dunning.wizard"
    _description = "Payment Reminder Workbench"

    state = fields.Selection(
        [("select", "Select"), ("prepare", "Prepare"), ("done", "Done")],
        default="select",
        required=True,
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    # Filters
    partner_ids = fields.Many2many("res.partner", string="Customers")
    date_due_from = fields.Date(string="Due From")
    date_due_to = fields.Date(string="Due To")
    age = fields.Selection(
        [
            ("all", "Any"),
            ("1_30", "1 to 30 days"),
            ("31_60", "31 to 60 days"),
            ("61_90", "61 to 90 days"),
            ("91", "More than 90 days"),
            ("custom", "Between..."),
        ],
        string="Days Late",
        default="all",
        required=True,
    )
    days_from = fields.Integer(string="Days Late From")
    days_to = fields.Integer(string="Days Late To")
    last_level_ids = fields.Many2many(
        "account.dunning.level",
        "account_dunning_wizard_last_level_rel",
    )
    advised_level_ids = fields.Many2many(
        "account.dunning.level",
        "account_dunning_wizard_advised_level_rel",
    )
    plan_ids = fields.Many2many("account.dunning.plan", string="Reminder Plans")
    responsible_ids = fields.Many2many("res.users")
    include_not_due = fields.Boolean(string="Also Not Yet Due")
    only_positive_balance = fields.Boolean(
        string="Only Customers With a Balance Above 0",
        help="Leave out customers whose credit notes and payments cover what they owe.",
    )
    hide_direct_debit = fields.Boolean(string="Hide Direct Debit Invoices")
    # The list, the proposals, the result
    line_ids = WorkbenchOne2many("account.dunning.wizard.line", "wizard_id", string="Invoices")
    line_count = fields.Integer(compute="_compute_counts")
    selected_count = fields.Integer(compute="_compute_counts")
    proposal_ids = WorkbenchOne2many(
        "account.dunning.wizard.proposal", "wizard_id", string="Reminders to Create"
    )
    checked = fields.Boolean(help="The controls ran on the proposals as they are.")
    searched = fields.Boolean(help="The list shows the result of a search.")
    from_worklist = fields.Boolean(
        help="The list shows the invoices of the worklist's filter, until a search."
    )
    forced_channel = fields.Selection([("email", "Email"), ("letter", "Letter")])
    dry_run = fields.Boolean(
        help="Shows what the daily job would send now; nothing was sent.",
    )
    dunning_ids = fields.Many2many("account.dunning", string="Reminders Created")
    letter_format = fields.Selection(
        [("zip", "ZIP, one PDF per letter"), ("pdf", "One PDF with every letter")],
        default="zip",
        required=True,
    )
    refused_note = fields.Text(
        string="Left Out",
        readonly=True,
        help="The selected invoices the rules leave out, and why.",
    )
    skipped_note = fields.Text(
        string="Not Created",
        readonly=True,
        help="The reminders that were not created, and why.",
    )
    warning_note = fields.Text(
        string="Changed by the Controls",
        compute="_compute_warning_note",
        help="The reminders whose channels the controls changed, and why.",
    )
    summary = fields.Html(compute="_compute_summary")
    has_letters = fields.Boolean(compute="_compute_summary")

    @api.depends("line_ids.selected")
    def _compute_counts(self):
        saved = self.filtered(lambda wizard: isinstance(wizard.id, int))
        counts = defaultdict(int)
        if saved:
            # thousands of lines: counted by the database, not read
            self.env["account.dunning.wizard.line"].flush_model(["wizard_id", "selected"])
            for wizard, selected, count in self.env["account.dunning.wizard.line"]._read_group(
                [("wizard_id", "in", saved.ids)], ["wizard_id", "selected"], ["__count"]
            ):
                counts[wizard.id, selected] += count
        for wizard in saved:
            wizard.line_count = counts[wizard.id, True] + counts[wizard.id, False]
            wizard.selected_count = counts[wizard.id, True]
        for wizard in self - saved:  # being edited in the form
            wizard.line_count = len(wizard.line_ids)
            wizard.selected_count = len(wizard.line_ids.filtered("selected"))

    @api.depends("proposal_ids.warning")
    def _compute_warning_note(self, limit=20):
        for wizard in self:
            warnings = [p.warning for p in wizard.proposal_ids if p.warning]
            if len(warnings) > limit:
                more = self.env._("and %(count)s more.", count=len(warnings) - limit)
                warnings = warnings[:limit] + [more]
            wizard.warning_note = "\n".join(warnings) or False

    @api.depends("dunning_ids.state", "skipped_note")
    def _compute_summary(self):
        for wizard in self:
            reminders = wizard.dunning_ids
            wizard.has_letters = bool(
                reminders.filtered(lambda r: r.send_letter and r.letter_attachment_id)
            )
            wizard.summary = self.env["ir.qweb"]._render(
                "account_dunning.dunning_wizard_summary",
                {"summary": wizard._get_summary()},
            )

    def _get_summary(self):
        """Counts per channel and the failures, for the last step."""
        reminders = self.dunning_ids
        sent = reminders.filtered(lambda r: r.state == "sent")
        return {
            "created": len(reminders),
            "email": len(sent.filtered("send_email")),
            "letter": len(sent.filtered(lambda r: r.letter_state == "to_post")),
            "sms": len(sent.filtered("send_sms")),
            "activity": len(sent.filtered("create_activity")),
            "failed": [(r.name, r.partner_id.name, r.failure_reason) for r in reminders - sent],
            "skipped": self.skipped_note,
        }

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, ids = self.env.context.get("active_model"), self.env.context.get("active_ids")
        if model == "res.partner" and ids and "partner_ids" in fields_list:
            partners = self.env["res.partner"].browse(ids).commercial_partner_id
            values["partner_ids"] = [fields.Command.set(partners.ids)]
        return values

    @api.model_create_multi
    def create(self, vals_list):
        check_bounds(self, vals_list, dict.fromkeys(("days_from", "days_to"), FILTER_DAYS_BOUNDS))
        return super().create(vals_list)

    def write(self, vals):
        check_bounds(self, [vals], dict.fromkeys(("days_from", "days_to"), FILTER_DAYS_BOUNDS))
        return super().write(vals)

    def unlink(self):
        # its rows and proposals have no foreign key to cascade
        # (``WorkbenchMany2one``)
        ids = self.ids
        result = super().unlink()
        self.env["account.dunning.wizard.line"].sudo()._delete_for(wizard_ids=ids)
        self.env["account.dunning.wizard.proposal"].sudo()._delete_for(wizard_ids=ids)
        return result

    def _get_days_range(self):
        """(first, last) days late the filter keeps, None for no bound."""
        self.ensure_one()
        if self.age == "custom" or (self.age == "all" and (self.days_from or self.days_to)):
            # days set by code (or left by "Between...") count as "Between"
            return self.days_from or None, self.days_to or None
        return AGE_RANGES.get(self.age, (None, None))

    @api.onchange("age")
    def _onchange_age(self):
        if self.age != "custom":
            self.update({"days_from": 0, "days_to": 0})

    def _get_filters(self):
        self.ensure_one()
        days_from, days_to = self._get_days_range()
        return {
            "partner_ids": self.partner_ids.commercial_partner_id.ids,
            "date_due_from": self.date_due_from,
            "date_due_to": self.date_due_to,
            "days_from": days_from,
            "days_to": days_to,
            "last_level_ids": self.last_level_ids.ids,
            "advised_level_ids": self.advised_level_ids.ids,
            "plan_ids": self.plan_ids.ids,
            "responsible_ids": self.responsible_ids.ids,
            "include_not_due": self.include_not_due,
            "only_positive_balance": self.only_positive_balance,
            "hide_direct_debit": self.hide_direct_debit,
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
            "name": self.env._("Prepare Reminders"),
        }

    def _fill_lines(self, moves, selected=None, ordered=False):
        """The list of invoices: one line per invoice of ``moves``, those of
        ``selected`` (by default, those to remind) ticked, in the order of
        their due dates (``moves``' own order when ``ordered``: they come
        from a search in that order). The lines are made in one SQL
        statement, without ``create`` (the workbench lists up to hundreds of
        thousands of invoices): an invoice the user may not read, or of a
        company they did not select, is refused here (AccessError), never
        listed."""
        self.ensure_one()
        self.check_access("write")  # its user's list only
        check_readable(moves)
        Line = self.env["account.dunning.wizard.line"]
        Line.check_access("create")
        if selected is None:
            selected = moves._get_dunning_to_remind_ids()
        selected = set(selected)
        # every row of the list, in one query
        Line.sudo()._delete_for(wizard_ids=self.ids)
        now = self.env.cr.now()
        insert = SQL(
            "INSERT INTO account_dunning_wizard_line (wizard_id, create_uid, create_date, "
            "write_uid, write_date, move_id, selected) SELECT %s, %s, %s, %s, %s,",
            self.id,
            self.env.uid,
            now,
            self.env.uid,
            now,
        )
        if ordered:
            # in the given order: the invoices are neither read nor sorted
            # again (ordinality keeps the order of the arrays)
            ids = moves.ids
            query = SQL(
                "%s row.id, row.selected "
                "FROM unnest(%s::int[], %s::bool[]) WITH ORDINALITY AS row(id, selected, place) "
                "ORDER BY row.place",
                insert,
                sql_array(ids),
                sql_array((move_id in selected for move_id in ids), "bool"),
            )
        else:
            moves.flush_recordset(["dunning_date_due"])
            # in the order of their due dates, sorted by the database
            query = SQL(
                "%s move.id, ticked.id IS NOT NULL FROM account_move move "
                "LEFT JOIN unnest(%s::int[]) AS ticked(id) ON ticked.id = move.id "
                "WHERE move.id = ANY(%s::int[]) "
                "ORDER BY move.dunning_date_due NULLS LAST, move.id",
                insert,
                sql_array(selected),
                sql_array(moves.ids),
            )
        self.env.cr.execute(query)
        Line.invalidate_model()
        self.invalidate_recordset(["line_ids", "line_count", "selected_count"])

    def action_search(self):
        """Fill the list with the open invoices matching the filters; those
        to remind come selected."""
        self.ensure_one()
        Move = self.env["account.move"]
        moves = Move.search(
            Move._get_dunning_workbench_domain(self._get_filters()),
            order="dunning_date_due, id",
        )
        self._fill_lines(moves, ordered=True)
        self.write(
            {
                "state": "select",
                "proposal_ids": [fields.Command.clear()],
                "checked": False,
                "searched": True,
                "from_worklist": False,
            }
        )

    def _select_lines(self, move_ids=None):
        """Tick the lines of the invoices ``move_ids`` and untick the
        others; all of them when ``move_ids`` is None. One query, that
        writes only the lines that change (most are ticked already when
        the user selects all: 200,000 rows rewritten took seconds)."""
        self.ensure_one()
        self.check_access("write")  # its user's list only
        Line = self.env["account.dunning.wizard.line"]
        Line.flush_model()
        selected = (
            SQL("TRUE")
            if move_ids is None
            else SQL("move_id = ANY(%s::int4[])", sql_array(move_ids))
        )
        self.env.cr.execute(
            SQL(
                "UPDATE account_dunning_wizard_line SET selected = %s, "
                "write_uid = %s, write_date = %s "
                "WHERE wizard_id = %s AND selected IS DISTINCT FROM (%s)",
                selected,
                self.env.uid,
                self.env.cr.now(),
                self.id,
                selected,
            )
        )
        Line.invalidate_model(["selected"])
        self.invalidate_recordset(["selected_count"])

    def _get_line_move_ids(self, selected_only=False):
        """The invoices of the list (only the ticked ones with
        ``selected_only``), in its order: one query, no record read."""
        self.ensure_one()
        Line = self.env["account.dunning.wizard.line"]
        Line.flush_model(["wizard_id", "move_id", "selected"])
        self.check_access("read")
        return self.env["account.move"].browse(
            row[0]
            for row in self.env.execute_query(
                SQL(
                    # the rows its user made (the rows' rule, in SQL)
                    "SELECT line.move_id FROM account_dunning_wizard_line line "
                    "JOIN account_dunning_wizard wizard ON wizard.id = line.wizard_id "
                    "WHERE line.wizard_id = %s AND line.create_uid = wizard.create_uid "
                    "AND (%s OR line.selected) ORDER BY line.id",
                    self.id,
                    not selected_only,
                )
            )
        )

    def action_select_all(self):
        self._select_lines()

    def action_select_none(self):
        self._select_lines([])

    def action_select_to_remind(self):
        moves = self._get_line_move_ids()
        self._select_lines(moves._get_dunning_to_remind_ids())

    def action_prepare(self):
        """One proposal per customer and currency from the selected
        invoices; the engine leaves out those its rules refuse, and says
        why."""
        self.ensure_one()
        moves = self._get_line_move_ids(selected_only=True)
        if not moves:
            raise UserError(self.env._("Select the invoices to remind first."))
        channels = QUICK_CHANNELS.get(self.forced_channel)
        Engine = self.env["account.dunning.engine"]
        # the place of each invoice in the list: proposals and the invoices
        # left out are said in its order
        places = ListPlaces(moves.ids)
        # the proposals' invoices are among them: checked once, not per chunk
        moves.check_access("read")
        Proposal = self.env["account.dunning.wizard.proposal"].sudo()
        proposed, first_refused, refused_count = 0, [], 0
        # a chunk of customers at a time: the states of hundreds of
        # thousands of invoices are never held at once, nor their proposals
        # (written chunk by chunk)
        for chunk, states in moves._iter_dunning_states_by_customer():
            proposals = Engine._prepare_proposals(chunk, channels=channels, states=states)
            if proposals:
                if not proposed:  # the earlier ones go once there are new ones
                    self.check_access("write")
                    Proposal._delete_for(wizard_ids=self.ids)
                    self.invalidate_recordset(["proposal_ids", "warning_note"])
                self._write_proposals(proposals, places)
                proposed += len(proposals)
            proposals = None
            refusals = Engine._get_refusals(chunk, states)
            if refusals:
                lines, count = self._get_refused_lines(
                    chunk, states, position=places, refusals=refusals
                )
                first_refused = heapq.nsmallest(20, first_refused + lines)
                refused_count += count
            # not held while the next chunk's are made
            states = refusals = None
        refused = [line for _place, line in first_refused]
        if refused_count > len(refused):
            refused.append(self.env._("and %(count)s more.", count=refused_count - len(refused)))
        refused_note = "\n".join(refused) or False
        if not proposed:
            raise UserError(
                self.env._(
                    "None of the selected invoices can be reminded now.\n%(reasons)s",
                    reasons=refused_note
                    or self.env._("None of them is due for a reminder level yet."),
                )
            )
        self.invalidate_recordset(["proposal_ids"])
        self.write({"state": "prepare", "checked": False, "refused_note": refused_note})

    def _write_proposals(self, proposals, places):
        """Write ``proposals`` (``account.dunning.engine._prepare_proposals``)
        as this workbench's, each with its amount due and the place of its
        first invoice in the list (their order: ``places``, {invoice id:
        place}), in a few queries."""
        amounts = self._get_amounts_due(proposals, checked=True)
        bulk_create(
            self.env["account.dunning.wizard.proposal"],
            [
                {
                    **{
                        key: value
                        for key, value in proposal.items()
                        if key not in ("move_ids", "allowed_level_ids")
                    },
                    "wizard_id": self.id,
                    "amount_due": amount,
                    "place": min(places[mid] for mid in proposal["move_ids"]),
                    "move_count": len(proposal["move_ids"]),
                    "move_id_list": proposal["move_ids"],
                    "allowed_level_id_list": proposal["allowed_level_ids"],
                }
                for proposal, amount in zip(proposals, amounts, strict=True)
            ],
        )
        self.invalidate_recordset(["proposal_ids"])

    def _get_refused_note(self, moves, states, limit=20):
        """What the rules leave out of ``moves``, one line per invoice, in
        the user's words (the first ``limit``, then a count)."""
        lines, count = self._get_refused_lines(moves, states, limit=limit)
        notes = [line for _place, line in lines]
        if count > limit:
            notes.append(self.env._("and %(count)s more.", count=count - limit))
        return "\n".join(notes) or False

    def _get_refused_lines(self, moves, states, limit=20, position=None, refusals=None):
        """(the first ``limit`` invoices of ``moves`` the rules leave out,
        each as (its place, a line in the user's words), how many they leave
        out). The places are those of ``position`` ({invoice id: place}),
        else the order of ``moves``. ``refusals``: the engine's
        ``_get_refusals`` of ``moves``, when the caller has them."""
        Engine = self.env["account.dunning.engine"]
        if refusals is None:
            refusals = Engine._get_refusals(moves, states)
        if position is None:
            position = {mid: place for place, mid in enumerate(moves.ids) if mid in refusals}
        first = heapq.nsmallest(limit, refusals, key=position.__getitem__)
        return [
            (
                position[move.id],
                self.env._(
                    "%(invoice)s: %(reason)s",
                    invoice=move.name,
                    reason=Engine._get_refusal_message(refusals[move.id], states.get(move.id)),
                ),
            )
            for move in moves.browse(first)
        ], len(refusals)

    def _get_amounts_due(self, proposals, checked=False):
        """The amount due of each proposal, in its currency: the invoices'
        residuals summed by the database, in one query (hundreds of
        thousands of invoices are neither loaded as records nor read one by
        one for a sum)."""
        move_ids = [move_id for proposal in proposals for move_id in proposal["move_ids"]]
        places = [place for place, proposal in enumerate(proposals) for _id in proposal["move_ids"]]
        Move = self.env["account.move"]
        if not checked:  # the caller checked that the user may read them
            Move.browse(move_ids).check_access("read")
        Move.flush_model(["amount_residual"])
        sums = dict(
            self.env.execute_query(
                SQL(
                    "SELECT listed.place, SUM(move.amount_residual) "
                    "FROM unnest(%s::int4[], %s::int4[]) AS listed(id, place) "
                    "JOIN account_move move ON move.id = listed.id GROUP BY listed.place",
                    sql_array(move_ids),
                    sql_array(places),
                )
            )
        )
        return [sums.get(place) or 0.0 for place in range(len(proposals))]

    def action_back(self):
        self.write({"state": "select", "proposal_ids": [fields.Command.clear()], "checked": False})

    def action_check(self):
        """Controls: replace the channels that cannot work, say why."""
        self.ensure_one()
        self.proposal_ids._apply_checks()
        self.checked = True

    def action_create(self):
        """Create and send the reminders, then show what was done."""
        self.ensure_one()
        if self.state != "prepare":
            raise UserError(self.env._("Prepare the reminders first."))
        self.proposal_ids._apply_checks()
        reminders, skipped = self.env["account.dunning.engine"]._create_reminders_report(
            [proposal._get_values() for proposal in self.proposal_ids]
        )
        self.write(
            {
                "dunning_ids": [fields.Command.set(reminders.ids)],
                "state": "done",
                "skipped_note": "\n".join(
                    self.env._("%(customer)s: %(reason)s", customer=partner.name, reason=reason)
                    for partner, reason in skipped
                )
                or False,
            }
        )

    def action_download_letters(self):
        self.ensure_one()
        attachment = self.env["account.dunning"]._get_letters_file(
            self.dunning_ids, self.letter_format
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_view_reminders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_action"
        )
        action["domain"] = [("id", "in", self.dunning_ids.ids)]
        return action

    @api.depends("state")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Prepare Reminders")

    @api.model
    def action_open_workbench(self):
        """The workbench from the menu: opens on the overdue invoices."""
        self._check_may_remind()
        wizard = self.create({})
        wizard.action_search()
        return wizard._reopen()

    @api.model
    def _check_may_remind(self):
        """Every way into the workbench (its menu, the worklist, the quick
        buttons on invoices, customers and Customer Accounts) is for
        reminder users only."""
        check_dunning_access(self.env, "user", self.env._("remind customers"))

    @api.model
    def _action_open_on(self, moves):
        """The workbench listing ``moves`` (the worklist's filter), those to
        remind ticked, for the user to prepare."""
        self._check_may_remind()
        wizard = self.create({"include_not_due": True, "from_worklist": True})
        wizard._fill_lines(moves)
        return wizard._reopen()

    @api.model
    def _action_open_dry_run(self, planned):
        """The workbench showing what the daily job would send, prepared
        and unsent: the user may send it by hand or leave it."""
        moves = self.env["account.move"].browse(
            [mid for plan in planned for mid in plan["move_ids"]]
        )
        wizard = self.create({"dry_run": True, "include_not_due": True, "searched": True})
        wizard._fill_lines(moves, selected=set(moves.ids))
        if moves:
            wizard.action_prepare()
        return wizard._reopen()

    @api.model
    def _action_open_prepared(self, moves, channel=None):
        """The workbench on ``moves`` (quick reminder from an invoice or a
        customer), already prepared, by ``channel`` when given."""
        self._check_may_remind()
        moves = moves.filtered(lambda m: m.dunning_date_due)
        if not moves:
            raise UserError(self.env._("There is no open invoice to remind."))
        wizard = self.create(
            {
                "partner_ids": [fields.Command.set(moves.commercial_partner_id.ids)],
                "include_not_due": True,
                "forced_channel": channel,
            }
        )
        wizard._fill_lines(moves, selected=set(moves.ids))
        wizard.action_prepare()
        return wizard._reopen()
