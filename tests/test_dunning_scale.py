# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models import account_move_dunning_state as dunning_state
from ..models.dunning_tools import ListPlaces
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningScale(DunningCommon):
    """The cost of the workbench and of the daily job does not grow with
    the number of invoices: more customers and invoices, the same queries
    (the benchmark of dev/bench.py measures the seconds)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False, "auto_send": True})

    def _customers(self, count, invoices=3, due="2026-04-05"):
        """``count`` customers in automatic mode with ``invoices`` invoices
        each, due on ``due``."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Client {count}-{n}",
                    "is_company": True,
                    "email": f"client{count}-{n}@scale.test",
                    "dunning_mode": "automatic",
                }
                for n in range(count)
            ]
        )
        for customer in customers:
            for _ in range(invoices):
                self._invoice(100, due, partner=customer)
        return customers

    def _queries(self, function):
        """The number of SQL queries ``function`` runs, caches emptied."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - before

    def _workbench(self, customers=None, prepare=True):
        """A workbench on the open invoices (of ``customers`` when given),
        every one selected, then prepared unless ``prepare`` is False."""
        values = {"include_not_due": True}
        if customers:
            values["partner_ids"] = [(6, 0, customers.ids)]
        wizard = self.env["account.dunning.wizard"].create(values)
        wizard.action_search()
        wizard.action_select_all()
        if prepare:
            wizard.action_prepare()
        return wizard

    def _workbench_queries(self):
        return self._queries(self._workbench)

    @freeze_time("2026-04-20")
    def test_workbench_queries_do_not_grow_with_invoices(self):
        self._customers(2)
        self._workbench_queries()  # warms the caches of Odoo itself
        small = self._workbench_queries()
        # 21 times the invoices and customers, past the hundred rows the
        # ORM writes per query
        self._customers(40)
        large = self._workbench_queries()
        self.assertEqual(large, small)
        wizard = self.env["account.dunning.wizard"].create({"include_not_due": True})
        wizard.action_search()
        self.assertEqual(wizard.line_count, 126)
        self.assertEqual(wizard.selected_count, 126)
        wizard.action_prepare()
        self.assertEqual(len(wizard.proposal_ids), 42)
        self.assertEqual(set(wizard.proposal_ids.mapped("amount_due")), {300})

    @freeze_time("2026-04-20")
    def test_workbench_prepares_a_chunk_of_customers_at_a_time(self):
        """The states of the workbench's invoices are computed a chunk of
        customers at a time (never all at once): a customer's invoices stay
        in one chunk, and the proposals, their order, the invoices left out
        and the amounts are those of a single chunk."""
        late, blocked, recent = self._customers(3, invoices=3)
        self._invoice(250, "2026-04-01", partner=recent)  # due earliest: its customer first
        blocked.invoice_ids[:2].sudo().write({"dunning_blocked": True})

        def prepare():
            return self._workbench(late | blocked | recent)

        whole = prepare()
        moves = whole.line_ids.move_id
        with patch.object(dunning_state, "STATE_BATCH_SIZE", 2):
            chunks = list(moves._iter_dunning_states_by_customer())
            chunked = prepare()
        # three customers of 3, 3 and 4 invoices in chunks of 2: never cut
        self.assertEqual(sorted(len(chunk) for chunk, _states in chunks), [3, 3, 4])
        for chunk, states in chunks:
            self.assertEqual(len(chunk.commercial_partner_id), 1)
            self.assertEqual(set(states), set(chunk.ids))
        self.assertEqual(
            [(p.partner_id, p.move_count, p.amount_due) for p in chunked.proposal_ids],
            [(recent, 4, 550.0), (late, 3, 300.0), (blocked, 1, 100.0)],
        )
        self.assertEqual(
            [(p.partner_id, p.move_count, p.amount_due) for p in chunked.proposal_ids],
            [(p.partner_id, p.move_count, p.amount_due) for p in whole.proposal_ids],
        )
        self.assertEqual(chunked.refused_note, whole.refused_note)
        self.assertEqual(len(chunked.refused_note.splitlines()), 2)
        with patch.object(dunning_state, "STATE_BATCH_SIZE", 2):
            self.assertEqual(
                sorted(moves._get_dunning_to_remind_ids()),
                sorted((moves - blocked.invoice_ids[:2]).ids),
            )
            # to remind or not is each invoice's own: chunks of the given
            # size, unsorted, a customer may span two, the same states
            loose = list(moves._iter_dunning_states_by_customer(whole_customers=False))
        self.assertEqual([len(chunk) for chunk, _states in loose], [2, 2, 2, 2, 2])
        self.assertEqual(
            {mid: state for _chunk, states in loose for mid, state in states.items()},
            moves._get_dunning_states(),
        )

    @freeze_time("2026-04-20")
    def test_invoices_left_out_are_listed_in_the_lists_order_across_chunks(self):
        """The first invoices left out are said in the list's order (due
        dates), not in the order of the chunks (customers)."""
        first, second = self._customers(2, invoices=2)
        late = self._invoice(80, "2026-04-10", partner=first)  # the first customer's, due later
        early = self._invoice(90, "2026-04-01", partner=second)  # the second's, due first
        (late | early).sudo().write({"dunning_blocked": True})

        def note():
            return self._workbench(first | second).refused_note

        whole = note()
        with patch.object(dunning_state, "STATE_BATCH_SIZE", 2):
            chunked = note()
        self.assertEqual(chunked, whole)
        self.assertEqual(
            [line.split(":")[0] for line in chunked.splitlines()], [early.name, late.name]
        )

    @freeze_time("2026-04-20")
    def test_first_twenty_left_out_and_their_count_across_chunks(self):
        """More than twenty invoices left out, in chunks of customers (one
        of them with more than twenty on its own): the note says the first
        twenty in the list's order (asked of the database chunk by chunk, no
        place held for every invoice), then how many more; the same as in
        one chunk. The proposals come in the order of their first invoice in
        the list, not in the order of the customers or of the invoices'
        creation."""
        first, second, third = self._customers(3, invoices=0)
        # created in another order than their due dates
        self._invoice(100, "2026-04-04", partner=second)
        self._invoice(100, "2026-04-03", partner=first)
        self._invoice(100, "2026-04-01", partner=third)
        blocked = self.env["account.move"]
        for index in range(28):
            # 22 for the first customer, 3 each for the others, mixed in the
            # list; each invoice due a day before the one created before it
            partner = {1: second, 5: third}.get(index % 9, first)
            blocked |= self._invoice(10, f"2026-03-{28 - index:02d}", partner=partner)
        blocked.sudo().write({"dunning_blocked": True})

        def prepared():
            wizard = self._workbench(first | second | third)
            return wizard.refused_note, wizard.proposal_ids.partner_id.ids

        whole_note, whole_order = prepared()
        with patch.object(dunning_state, "STATE_BATCH_SIZE", 5):
            chunked_note, chunked_order = prepared()
        self.assertEqual(chunked_note, whole_note)
        lines = chunked_note.splitlines()
        listed = blocked.sorted(lambda move: (move.invoice_date_due, move.id))
        self.assertEqual([line.split(":")[0] for line in lines[:20]], listed[:20].mapped("name"))
        self.assertEqual(set(listed[:20].partner_id), {first, second, third})
        self.assertEqual(lines[20], "and 8 more.")
        self.assertEqual(chunked_order, whole_order)
        self.assertEqual(chunked_order, [third.id, first.id, second.id])

    @freeze_time("2026-04-20")
    def test_prepare_again_in_chunks_replaces_the_proposals(self):
        """Proposals are written chunk by chunk: preparing again replaces
        the earlier ones (none twice, none left of a customer no longer
        proposed), and an attempt that proposes nothing keeps them."""
        customers = self._customers(3, invoices=2)
        wizard = self._workbench(customers)
        first = wizard.proposal_ids
        self.assertEqual(len(first), 3)
        customers[0].invoice_ids.sudo().write({"dunning_blocked": True})
        with patch.object(dunning_state, "STATE_BATCH_SIZE", 2):
            wizard.action_prepare()
        self.assertFalse(first.exists())
        self.assertEqual(wizard.proposal_ids.partner_id, customers[1:])
        again = wizard.proposal_ids
        customers.invoice_ids.sudo().write({"dunning_blocked": True})
        # not assertRaises: its savepoint would bring back what was deleted
        refused = None
        try:
            wizard.action_prepare()
        except UserError as error:
            refused = error
        self.assertIn("None of the selected invoices can be reminded now", str(refused))
        self.assertEqual(wizard.proposal_ids, again)

    def test_list_places_read_as_a_dict_of_places(self):
        """The places of the workbench's invoices, held in two arrays: each
        id its place in the list (the first listing of an id listed twice),
        an id not listed has none."""
        places = ListPlaces([40, 7, 19, 7, 3])
        self.assertEqual([places[i] for i in (40, 7, 19, 3)], [0, 1, 2, 4])
        self.assertEqual(len(places), 5)
        self.assertIn(19, places)
        self.assertNotIn(8, places)
        self.assertIsNone(places.get(8))
        self.assertEqual(places.get(8, -1), -1)
        with self.assertRaises(KeyError):
            places.__getitem__(41)

    def test_workbench_rows_have_no_foreign_keys_and_still_go_with_their_records(self):
        """The workbench's rows are written without foreign keys (they made
        three quarters of the time of writing 200,000 rows), their creator's
        and writer's neither (1.7 s of 2.2 left); what their cascade did is
        done by the wizard and the invoice."""
        rows = self.env.execute_query(
            SQL(
                "SELECT a.attname FROM pg_constraint c "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
                "WHERE c.contype = 'f' AND c.conrelid = 'account_dunning_wizard_line'::regclass"
            )
        )
        self.assertFalse(
            {"wizard_id", "move_id", "create_uid", "write_uid"} & {row[0] for row in rows}
        )
        kept, deleted = (
            self._invoice(100, "2026-04-05"),
            self._invoice(50, "2026-04-05", post=False),
        )
        Wizard = self.env["account.dunning.wizard"]
        wizard, other = Wizard.create({}), Wizard.create({})
        wizard._fill_lines(kept | deleted, selected=set())
        other._fill_lines(kept, selected=set())
        self.assertEqual(wizard.line_ids.move_id, kept | deleted)
        deleted.unlink()
        self.assertEqual(wizard.line_ids.move_id, kept)
        lines = wizard.line_ids
        wizard.unlink()
        self.assertFalse(lines.exists())
        self.assertEqual(other.line_ids.move_id, kept)

    @freeze_time("2026-04-20")
    def test_workbench_proposals_have_no_foreign_keys_and_still_go_with_their_records(self):
        """The proposals are written without foreign keys (the database
        checked eight per row and locked each customer: 1.1 s of writing
        20,000 proposals, 0.07 s without); what their cascades did is done
        by the workbench, the customer or contact and the level."""
        rows = self.env.execute_query(
            SQL(
                "SELECT a.attname FROM pg_constraint c "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
                "WHERE c.contype = 'f' "
                "AND c.conrelid = 'account_dunning_wizard_proposal'::regclass"
            )
        )
        self.assertFalse({row[0] for row in rows})
        first, second, third = self._customers(3)
        contact = self.env["res.partner"].create(
            {"name": "Compta", "parent_id": first.id, "email": "compta@scale.test"}
        )

        wizard, other = (
            self._workbench(first | second | third),
            self._workbench(first | second | third),
        )
        level = wizard.proposal_ids.level_id
        self.assertEqual(len(wizard.proposal_ids), 3)
        self.assertEqual(len(level), 1)
        wizard.proposal_ids.filtered(lambda p: p.partner_id == first).contact_id = contact
        contact.unlink()
        wizard.invalidate_recordset()
        mine = wizard.proposal_ids.filtered(lambda p: p.partner_id == first)
        self.assertTrue(mine)
        self.assertFalse(mine.contact_id)
        # a customer deleted (it has no invoice left): its proposals go
        third.invoice_ids.button_draft()
        third.invoice_ids.unlink()
        third.unlink()
        wizard.invalidate_recordset()
        self.assertEqual(wizard.proposal_ids.partner_id, first | second)
        self.assertEqual(len(other.proposal_ids), 2)
        proposals = wizard.proposal_ids
        wizard.unlink()
        self.assertFalse(proposals.exists())
        self.assertEqual(other.proposal_ids.partner_id, first | second)
        other_proposals = other.proposal_ids
        level.unlink()
        self.assertFalse(other_proposals.exists())

    @freeze_time("2026-04-20")
    def test_a_plan_deleted_takes_the_proposals_at_its_levels(self):
        """A plan's levels go with it by the database's cascade, not their
        own unlink: the proposals at them go too (no foreign key)."""
        (customer,) = self._customers(1)
        own = self.env["account.dunning.plan"].create(
            {
                "name": "Own",
                "company_id": self.company.id,
                "level_ids": [(0, 0, {"name": "Own reminder", "days": 10})],
            }
        )
        customer.dunning_plan_id = own
        wizard = self.env["account.dunning.wizard"].create(
            {"include_not_due": True, "partner_ids": [(6, 0, customer.ids)]}
        )
        wizard.action_search()
        wizard.action_prepare()
        proposals = wizard.proposal_ids
        self.assertEqual(proposals.level_id.plan_id, own)
        customer.dunning_plan_id = False
        own.unlink()
        self.assertFalse(proposals.exists())

    @freeze_time("2026-04-20")
    def test_invoices_no_longer_open_are_said_whatever_the_size_of_the_list(self):
        """An invoice of the list put back to draft before Prepare is said
        to be no longer open, whether the list is read in one chunk or
        through the database cursor, chunk by chunk."""
        first, second = self._customers(2, invoices=2)
        whole, chunked = (self._workbench(first | second, prepare=False) for _ in range(2))
        gone = first.invoice_ids.sorted("id")[:1]
        gone.button_draft()
        whole.action_prepare()
        with patch.object(dunning_state, "STATE_BATCH_SIZE", 2):
            chunks = list(chunked._get_line_move_ids()._iter_dunning_states_by_customer())
            chunked.action_prepare()
        self.assertEqual(chunks[-1][0], gone)
        self.assertEqual(chunks[-1][1], {})
        self.assertIn(gone.name, whole.refused_note)
        self.assertEqual(chunked.refused_note, whole.refused_note)
        self.assertEqual(
            [(p.partner_id, p.move_count) for p in chunked.proposal_ids],
            [(p.partner_id, p.move_count) for p in whole.proposal_ids],
        )

    def test_last_reminder_dates_are_read_from_an_index(self):
        """Each batch of the daily job reads its customers' last reminder
        dates: from an index of the invoices reminded (Odoo indexes no
        invoice by its commercial partner: the query scanned the whole
        table, 15 to 50 ms a batch)."""
        rows = self.env.execute_query(
            SQL(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'account_move' "
                "AND indexname = 'account_move_dunning_last_date_partner_index'"
            )
        )
        self.assertEqual(len(rows), 1)
        self.assertIn("(commercial_partner_id, company_id, dunning_last_date)", rows[0][0])
        self.assertIn("WHERE (dunning_last_date IS NOT NULL)", rows[0][0])

    @freeze_time("2026-04-20")
    def test_proposal_invoices_are_a_list_of_ids(self):
        """A proposal keeps its invoices as a list of ids in one column (no
        relation table); read as records, without an invoice deleted since;
        written as records over RPC, still checked."""
        first, second = self._invoice(100, "2026-04-05"), self._invoice(50, "2026-04-05")
        wizard = self.env["account.dunning.wizard"]._action_open_prepared(first | second)
        wizard = self.env["account.dunning.wizard"].browse(wizard["res_id"])
        proposal = wizard.proposal_ids
        self.assertEqual(sorted(proposal.move_id_list), sorted((first | second).ids))
        self.assertEqual(proposal.move_ids, first | second)
        self.assertEqual(sorted(proposal._get_values()["move_ids"]), sorted((first | second).ids))
        proposal.move_ids = first
        self.assertEqual(proposal.move_id_list, first.ids)
        proposal.move_id_list = [first.id, 999999999]
        proposal.invalidate_recordset(["move_ids"])
        self.assertEqual(proposal.move_ids, first)
        # the levels the user may pick, likewise
        self.assertEqual(proposal.allowed_level_id_list, proposal.allowed_level_ids.ids)
        self.assertIn(proposal.level_id, proposal.allowed_level_ids)
        proposal.allowed_level_ids = proposal.level_id
        self.assertEqual(proposal.allowed_level_id_list, proposal.level_id.ids)
        with self.assertRaises(UserError):
            proposal.level_id = (self.plan.level_ids - proposal.level_id)[:1]

    @freeze_time("2026-04-20")
    def test_job_queries_per_reminder_stay_few(self):
        """Each reminder of the job costs a couple of queries (its
        reference number, its letter's layout), never one per invoice."""
        Dunning = self.env["account.dunning"]
        self._customers(1)
        self._queries(lambda: Dunning._cron_process_reminders(companies=self.company))
        self._customers(2, due="2026-04-06")
        two = self._queries(lambda: Dunning._cron_process_reminders(companies=self.company))
        self._customers(8, due="2026-04-07")
        eight = self._queries(lambda: Dunning._cron_process_reminders(companies=self.company))
        self.assertEqual(Dunning.search_count([("state", "=", "sent")]), 11)
        self.assertEqual(Dunning.search_count([("line_ids", "!=", False)]), 11)
        # six more reminders of three invoices each: at most 3 queries each
        self.assertLessEqual(eight - two, 6 * 3)
