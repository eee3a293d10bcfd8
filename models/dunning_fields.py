# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A field of the workbench's own rows."""

from collections import defaultdict

from odoo import fields
from odoo.tools import SQL, sql


class WorkbenchMany2one(fields.Many2one):
    """A many2one of the workbench's rows (transient: the invoices it lists,
    the reminders it proposes) without a foreign key in the database. The
    workbench writes a row per open invoice, hundreds of thousands at a
    time: the database checks a foreign key row by row, and locks the
    record it points to, which made three quarters of the time of writing
    them (3.8 s for 200,000 rows, 0.9 s without). The rows live an hour at
    most (Odoo's transient vacuum) and are made by the workbench from
    records it just read; what the cascades did is done by the records they
    point to (``account.dunning.wizard.unlink``, ``account.move.unlink``,
    the proposals' ``_delete_for``). Their creator and writer (Odoo's
    ``create_uid``, ``write_uid``) go without theirs too: a user is
    archived, not deleted, and a row left by one is the vacuum's. Otherwise
    a plain many2one: same column, cache, reads, searches and access
    rules."""

    def update_db_foreign_key(self, model, column):
        # a database made before this field drops the foreign key it had
        comodel = model.env[self.comodel_name]
        for name in sql.get_foreign_keys(
            model.env.cr, model._table, self.name, comodel._table, "id", self.ondelete or "set null"
        ):
            sql.drop_constraint(model.env.cr, model._table, name)


class WorkbenchOne2many(fields.One2many):
    """The workbench's list of rows (its invoices, its proposals), read as
    pairs of ids in one query. Odoo reads a one2many by loading every row
    as a record and asking each for its parent: 0.7 s for the 200,000 rows
    of a large workbench, which the web client asks for each time the form
    is read. Same domain, order and access rules as Odoo's; otherwise a
    plain one2many."""

    def read(self, records):  # pylint: disable=method-required-super
        context = {"active_test": False, **self.context}
        comodel = records.env[self.comodel_name].with_context(**context)
        domain = self.get_domain_list(records) + [(self.inverse_name, "in", records.ids)]
        query = comodel._search(domain, order=comodel._order)  # its rules, its order
        group = defaultdict(list)
        for parent_id, row_id in records.env.execute_query(
            query.select(
                SQL.identifier(query.table, self.inverse_name), SQL.identifier(query.table, "id")
            )
        ):
            group[parent_id].append(row_id)
        records.env.cache.insert_missing(
            records, self, [tuple(group[record_id]) for record_id in records._ids]
        )
