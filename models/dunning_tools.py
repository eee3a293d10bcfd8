# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Small helpers shared by the reminder engine and the workbench."""

import re

from odoo.tools import SQL


def insert_relation_pairs(cr, field, pairs):
    """Link records through the many2many ``field`` in one query: ``pairs``
    of (record id, linked id). For thousands of links the ORM would write
    them record by record; the caller invalidates what it reads next."""
    if pairs:
        cr.execute(
            SQL(
                "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int[], %s::int[]) "
                "ON CONFLICT DO NOTHING",
                SQL.identifier(field.relation),
                SQL.identifier(field.column1),
                SQL.identifier(field.column2),
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
            )
        )


def short_error(error):
    """The line of an error that says what went wrong, for the user."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if re.match(r"^\w+(Error|Exception): ", line):
            return line[:300]
    return (lines[0] if lines else repr(error))[:300]
