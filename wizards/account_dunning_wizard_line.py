# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The workbench's rows: its invoices and its proposals (one reminder to
create per customer and currency). They live only inside the workbench
(``account.dunning.wizard``)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..models.dunning_engine_owned import check_readable
from ..models.dunning_fields import WorkbenchMany2one
from ..models.dunning_inputs import check_email


class AccountDunningWizardLine(models.TransientModel):
    """An invoice in the workbench's list; removing it touches nothing.

    What it shows of the invoice is read with the user's rights
    (``compute_sudo=False``): an invoice they may not read is refused, not
    shown. The workbench makes its lines in the order of their due dates
    (``account.dunning.wizard._fill_lines``): a related field read with the
    user's rights cannot order them in SQL."""

    _name = "account.dunning.wizard.line"
    _description = "Payment Reminder Workbench Invoice"
    _order = "id"

    # no foreign keys: hundreds of thousands of rows are written at a time
    # (``WorkbenchMany2one``); their wizard and their invoice delete them
    wizard_id = WorkbenchMany2one(
        "account.dunning.wizard", required=True, index=True, ondelete="cascade"
    )
    move_id = WorkbenchMany2one("account.move", string="Invoice", required=True, ondelete="cascade")
    # Odoo's creator and writer of every row, without their foreign keys
    # either (1.7 s of writing 200,000 rows, 0.5 s without): the rows are
    # their user's own, for an hour at most
    create_uid = WorkbenchMany2one("res.users", string="Created by", automatic=True, readonly=True)
    write_uid = WorkbenchMany2one(
        "res.users", string="Last Updated by", automatic=True, readonly=True
    )
    move_name = fields.Char(related="move_id.name", compute_sudo=False, string="Number")
    selected = fields.Boolean()
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", compute_sudo=False, string="Customer"
    )
    ref = fields.Char(related="move_id.ref", compute_sudo=False)
    invoice_date = fields.Date(
        related="move_id.invoice_date", compute_sudo=False, string="Invoice Date"
    )
    date_due = fields.Date(
        related="move_id.dunning_date_due", compute_sudo=False, string="Due Date"
    )
    days_overdue = fields.Integer(related="move_id.dunning_days_overdue", compute_sudo=False)
    amount_total = fields.Monetary(related="move_id.amount_total", compute_sudo=False)
    amount_residual = fields.Monetary(
        related="move_id.amount_residual", compute_sudo=False, string="Amount Due"
    )
    currency_id = fields.Many2one(related="move_id.currency_id", compute_sudo=False)
    level_id = fields.Many2one(
        related="move_id.dunning_level_id", compute_sudo=False, string="Last Level"
    )
    last_date = fields.Date(related="move_id.dunning_last_date", compute_sudo=False)
    count = fields.Integer(related="move_id.dunning_count", compute_sudo=False, string="Reminders")
    advised_level_id = fields.Many2one(
        related="move_id.dunning_advised_level_id", compute_sudo=False
    )
    to_remind = fields.Boolean(related="move_id.dunning_to_remind", compute_sudo=False)
    refusal = fields.Char(related="move_id.dunning_refusal", compute_sudo=False)

    @api.constrains("move_id")
    def _check_move_id(self):
        """Only invoices the user may read, in the companies they selected."""
        check_readable(self.move_id)

    @api.constrains("wizard_id")
    def _check_wizard_id(self):
        """Only in a workbench of the user's own: a row slipped into another
        user's list would be reminded by their Prepare."""
        self.wizard_id.check_access("write")

    @api.model
    def _delete_for(self, wizard_ids=(), move_ids=()):
        """Delete the rows of the workbenches ``wizard_ids`` and of the
        invoices ``move_ids``, in one query: what the foreign keys' cascade
        would do (their fields have none)."""
        if wizard_ids or move_ids:
            self.env.execute_query(
                SQL(
                    "DELETE FROM account_dunning_wizard_line "
                    "WHERE wizard_id = ANY(%s) OR move_id = ANY(%s)",
                    list(wizard_ids),
                    list(move_ids),
                )
            )
            self.invalidate_model()


class AccountDunningWizardProposal(models.TransientModel):
    """A reminder to create: one customer, one currency, one level."""

    _name = "account.dunning.wizard.proposal"
    _description = "Payment Reminder Proposal"
    _inherit = ["account.dunning.channel.mixin"]
    # in the list's order: the customer of its first invoice first
    _order = "place, id"

    # no foreign keys either: a workbench writes tens of thousands of
    # proposals at once, and the database checked each of their eight
    # foreign keys row by row, locking the customer and contact rows (1.1 s
    # of writing 20,000 proposals, 0.07 s without). What their cascades did
    # is done by the records they point to (``_delete_for``): the workbench,
    # the customer or contact and the level; a company or currency is not
    # deleted while the invoices proposed are there.
    wizard_id = WorkbenchMany2one(
        "account.dunning.wizard", required=True, index=True, ondelete="cascade"
    )
    create_uid = WorkbenchMany2one("res.users", string="Created by", automatic=True, readonly=True)
    write_uid = WorkbenchMany2one(
        "res.users", string="Last Updated by", automatic=True, readonly=True
    )
    company_id = WorkbenchMany2one("res.company", required=True, ondelete="cascade")
    partner_id = WorkbenchMany2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    currency_id = WorkbenchMany2one("res.currency", required=True, ondelete="cascade")
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_move_ids",
        inverse="_inverse_move_ids",
    )
    # its invoices' ids, in one column: a workbench prepares tens of
    # thousands of proposals of hundreds of thousands of invoices, whose rows
    # in a relation table (with their foreign keys) took 5 s of 40
    move_id_list = fields.Json(string="Invoice Ids", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    place = fields.Integer(
        string="Place in the List",
        readonly=True,
        help="The place of its first invoice in the workbench's list.",
    )
    move_count = fields.Integer(string="Number of Invoices", readonly=True)
    allowed_level_ids = fields.Many2many(
        "account.dunning.level",
        compute="_compute_allowed_level_ids",
        inverse="_inverse_allowed_level_ids",
    )
    # likewise, the levels the user may pick, in one column
    allowed_level_id_list = fields.Json(string="Allowed Level Ids", readonly=True)
    level_id = WorkbenchMany2one(
        "account.dunning.level",
        required=True,
        ondelete="cascade",
        domain="[('id', 'in', allowed_level_ids)]",
    )
    contact_id = WorkbenchMany2one(
        "res.partner",
        ondelete="set null",
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="One of the customer's contacts: the reminder address by default.",
    )
    email = fields.Char(
        string="Email Address",
        help="The address of this reminder's email; the contact keeps its own "
        "unless Save on the Contact is ticked.",
    )
    save_email = fields.Boolean(
        string="Save on the Contact",
        help="Also write this email address on the contact, for the next reminders.",
    )
    comment = fields.Char()
    warning = fields.Text(readonly=True)
    has_warning = fields.Boolean(compute="_compute_has_warning", string="Has a Warning")

    @api.model
    def _delete_for(self, wizard_ids=(), partner_ids=(), level_ids=()):
        """What the foreign keys' cascades would do (their fields have
        none), in one query each: delete the proposals of the workbenches
        ``wizard_ids``, of the customers ``partner_ids`` and at the levels
        ``level_ids``; forget the contacts ``partner_ids`` of the others."""
        # one statement per list: each column's own test (the workbench's
        # has an index), not one scan of the table for all three
        for column, ids in (
            ("wizard_id", wizard_ids),
            ("partner_id", partner_ids),
            ("level_id", level_ids),
        ):
            if ids:
                self.env.execute_query(
                    SQL(
                        "DELETE FROM account_dunning_wizard_proposal WHERE %s = ANY(%s)",
                        SQL.identifier(column),
                        list(ids),
                    )
                )
        if partner_ids:
            self.env.execute_query(
                SQL(
                    "UPDATE account_dunning_wizard_proposal SET contact_id = NULL "
                    "WHERE contact_id = ANY(%s)",
                    list(partner_ids),
                )
            )
        self.invalidate_model()

    @api.constrains("move_id_list", "allowed_level_id_list")
    def _check_id_lists(self):
        """The lists of ids are lists of record ids, whoever writes them."""
        for proposal in self:
            for ids in (proposal.move_id_list, proposal.allowed_level_id_list):
                if (
                    ids is not None
                    and ids is not False
                    and not (
                        isinstance(ids, list)
                        and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
                    )
                ):
                    raise ValidationError(
                        self.env._("A proposal lists its invoices and levels by their ids.")
                    )

    def _get_listed(self, list_fname, model_name):
        """{proposal: the records of its id list ``list_fname``}, those
        deleted since left out: one query for all the proposals."""
        Model = self.env[model_name]
        listed = Model.browse({rid for proposal in self for rid in proposal[list_fname] or ()})
        existing = set(listed.exists().ids)
        return {
            proposal: Model.browse(rid for rid in proposal[list_fname] or () if rid in existing)
            for proposal in self
        }

    @api.depends("move_id_list")
    def _compute_move_ids(self):
        for proposal, moves in self._get_listed("move_id_list", "account.move").items():
            proposal.move_ids = moves

    def _inverse_move_ids(self):
        for proposal in self:
            proposal.move_id_list = proposal.move_ids.ids

    @api.depends("allowed_level_id_list")
    def _compute_allowed_level_ids(self):
        listed = self._get_listed("allowed_level_id_list", "account.dunning.level")
        for proposal, levels in listed.items():
            proposal.allowed_level_ids = levels

    def _inverse_allowed_level_ids(self):
        for proposal in self:
            proposal.allowed_level_id_list = proposal.allowed_level_ids.ids

    @api.depends("warning")
    def _compute_has_warning(self):
        for proposal in self:
            proposal.has_warning = bool(proposal.warning)

    def action_open_invoices(self):
        """The proposal's invoices, in a list."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_move_dunning_action"
        )
        action.update(
            {
                "domain": [("id", "in", self.move_ids.ids)],
                "context": {"create": False},
                "target": "new",
                "name": self.env._("Invoices of %(customer)s", customer=self.partner_id.name),
            }
        )
        return action

    def action_preview(self):
        """The email and the letter this proposal would send, as the engine
        will render them (``account.dunning.preview``)."""
        return self.env["account.dunning.preview"]._action_open_for_proposal(self)

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        self.email = self.contact_id.email

    @api.onchange("level_id")
    def _onchange_level_id(self):
        if self.level_id and not self.wizard_id.forced_channel:
            self.update(self.level_id._get_channels())

    @api.constrains("level_id", "allowed_level_ids", "allowed_level_id_list")
    def _check_level_id(self):
        for proposal in self:
            if proposal.allowed_level_ids and proposal.level_id not in proposal.allowed_level_ids:
                raise UserError(
                    self.env._(
                        "%(customer)s: choose a level between the last level sent and "
                        "the advised level.",
                        customer=proposal.partner_id.name,
                    )
                )

    @api.constrains(
        "company_id",
        "partner_id",
        "contact_id",
        "move_ids",
        "move_id_list",
        "level_id",
        "allowed_level_ids",
        "allowed_level_id_list",
    )
    def _check_readable(self):
        """Only invoices, customers and levels the user may read, in the
        companies they selected."""
        check_readable(
            self.company_id,
            self.move_ids,
            self.partner_id | self.contact_id,
            self.level_id | self.allowed_level_ids,
        )

    @api.constrains("email")
    def _check_email(self):
        """The address typed for this reminder is one valid address, saved
        on the contact or not: never a second one, nor a line break that
        would add a header to the email."""
        for proposal in self:
            check_email(self.env, proposal.email, proposal.partner_id.display_name)

    @api.constrains("save_email", "email", "contact_id")
    def _check_save_email(self):
        """Save on the Contact is refused as soon as it is ticked, when the
        engine would refuse it (``res.partner._check_dunning_email_save``)."""
        for proposal in self.filtered(lambda p: p.save_email and p.contact_id):
            if proposal.contact_id.email != (proposal.email or "").strip():
                proposal.contact_id._check_dunning_email_save(proposal.email)

    def _apply_checks(self):
        bounced = self.env["res.partner"]._get_dunning_bounced_emails(self.mapped("email"))
        engine = self.env["account.dunning.engine"].with_context(
            dunning_bounced_emails=frozenset(bounced)
        )
        for proposal in self:
            channels, warnings = engine._check_channels(
                proposal.partner_id,
                proposal.level_id,
                proposal._get_channels(),
                contact=proposal.contact_id,
                email=proposal.email or "",
            )
            proposal.write({**channels, "warning": " ".join(warnings) or False})

    def _get_values(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "currency_id": self.currency_id.id,
            "move_ids": self.move_ids.ids,  # those checked: an invoice deleted since left out
            "level_id": self.level_id.id,
            "contact_id": self.contact_id.id,
            "email": self.email or False,
            "save_email": self.save_email,
            "comment": self.comment or False,
            **self._get_channels(),
        }
