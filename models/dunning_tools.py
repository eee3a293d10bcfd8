# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Small helpers shared by the reminder engine and the workbench."""

import calendar
import re
from datetime import timedelta

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


def countback_dso(balance, monthly_sales, today, months=24):
    """Days sales outstanding by the countback method: how many days of the
    latest sales ``balance`` (what is owed today) represents. Walking back
    from the current month (counted up to ``today``), each month whose
    sales the balance covers counts whole and is taken off the balance; the
    month where the balance runs out counts in proportion. ``monthly_sales``
    maps the first day of a month to what was invoiced in it (less credit
    notes). A balance older than ``months`` months counts them all."""
    if balance <= 0:
        return 0
    days = 0.0
    month = today.replace(day=1)
    for _index in range(months):
        if month == today.replace(day=1):
            month_days = today.day
        else:
            month_days = calendar.monthrange(month.year, month.month)[1]
        sales = monthly_sales.get(month, 0.0)
        if sales > 0 and balance <= sales:
            return int(days + balance / sales * month_days + 0.5)
        days += month_days
        if sales > 0:
            balance -= sales
        month = (month - timedelta(days=1)).replace(day=1)
    return int(days)
