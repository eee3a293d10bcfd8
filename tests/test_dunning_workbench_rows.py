# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningWorkbenchRows(DunningCommon):
    """The workbench's rows and proposals as written for 200,000 invoices
    (one INSERT, no foreign keys, ids in lists) keep what the ORM kept: each
    user's list is theirs, a proposal sends what was checked, the states read
    what is not yet written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls._user("rows_alice", "account.group_account_invoice")
        cls.bob = cls._user("rows_bob", "account.group_account_invoice")

    @freeze_time("2026-04-20")
    def test_a_row_slipped_into_another_users_list_is_refused_and_ignored(self):
        mine = self._invoice(100, "2026-04-05")
        other_customer = self.env["res.partner"].create({"name": "Other SA", "is_company": True})
        other = self._invoice(70, "2026-04-05", partner=other_customer)
        wizard = self.env["account.dunning.wizard"].with_user(self.alice).create({})
        wizard._fill_lines(mine, selected={mine.id})
        Line = self.env["account.dunning.wizard.line"].with_user(self.bob)
        with self.assertRaises(AccessError):
            Line.create({"wizard_id": wizard.id, "move_id": other.id, "selected": True})
        with self.assertRaises(AccessError):
            wizard.with_user(self.bob).action_select_none()
        # made anyway (as the superuser, in Bob's name): not Alice's, never prepared
        Line.sudo().create({"wizard_id": wizard.id, "move_id": other.id, "selected": True})
        wizard.action_prepare()
        self.assertEqual(wizard.proposal_ids.move_ids, mine)
        self.assertEqual(wizard.proposal_ids.partner_id, self.customer)

    @freeze_time("2026-04-20")
    def test_a_proposal_sends_the_invoices_still_there(self):
        kept = self._invoice(100, "2026-04-05")
        gone = self._invoice(50, "2026-04-05")
        Wizard = self.env["account.dunning.wizard"].with_user(self.alice)
        wizard = Wizard.browse(Wizard._action_open_prepared(kept | gone)["res_id"])
        self.assertEqual(wizard.proposal_ids.move_ids, kept | gone)
        gone.sudo().button_draft()
        gone.sudo().unlink()
        wizard.proposal_ids.invalidate_recordset(["move_ids"])
        self.assertEqual(wizard.proposal_ids._get_values()["move_ids"], kept.ids)
        wizard.action_create()
        self.assertEqual(wizard.dunning_ids.line_ids.move_id, kept)

    @freeze_time("2026-04-20")
    def test_the_lists_of_ids_are_lists_of_ids(self):
        invoice = self._invoice(100, "2026-04-05")
        Wizard = self.env["account.dunning.wizard"].with_user(self.alice)
        proposal = Wizard.browse(Wizard._action_open_prepared(invoice)["res_id"]).proposal_ids
        for wrong in ({"a": 1}, 12, ["12"], [True], "1,2"):
            for fname in ("move_id_list", "allowed_level_id_list"):
                with self.assertRaises(ValidationError, msg=f"{fname} {wrong!r}"):
                    proposal.write({fname: wrong})

    @freeze_time("2026-04-20")
    def test_states_read_what_is_not_yet_written(self):
        invoice = self._invoice(100, "2026-04-05")
        invoice.ref = "NOT-FLUSHED-YET"
        states = self.env["account.move"]._get_dunning_states_for_domain(
            [("ref", "=", "NOT-FLUSHED-YET")]
        )
        self.assertEqual(list(states), invoice.ids)

    @freeze_time("2026-04-20")
    def test_the_lists_are_read_with_their_rows_rules_and_order(self):
        """The workbench's lists are read as pairs of ids in one query (Odoo
        loaded each of 200,000 rows as a record): the same rows, in the same
        order, the rules of the rows included, as Odoo's own reading."""
        late, later = self._invoice(100, "2026-04-01"), self._invoice(50, "2026-04-05")
        other_customer = self.env["res.partner"].create({"name": "Other SA", "is_company": True})
        other = self._invoice(70, "2026-04-03", partner=other_customer)
        Wizard = self.env["account.dunning.wizard"].with_user(self.alice)
        wizard = Wizard.create({"include_not_due": True})
        wizard._fill_lines(later | late, selected=set())
        # a row made in Bob's name in Alice's list: not hers, not read
        self.env["account.dunning.wizard.line"].with_user(self.bob).sudo().create(
            {"wizard_id": wizard.id, "move_id": other.id}
        )
        wizard.action_select_all()
        wizard.action_prepare()
        for fname in ("line_ids", "proposal_ids"):
            field = wizard._fields[fname]
            wizard.invalidate_recordset([fname])
            ours = wizard[fname]
            wizard.invalidate_recordset([fname])
            fields.One2many.read(field, wizard)  # as Odoo reads a one2many
            self.assertEqual(ours, wizard[fname], fname)
        self.assertEqual(wizard.line_ids.move_id.ids, [late.id, later.id])
        self.assertEqual(wizard.proposal_ids.partner_id, self.customer)
        # Bob reads none of Alice's rows, not even through her list
        with self.assertRaises(AccessError):
            wizard.with_user(self.bob).line_ids  # noqa: B018
