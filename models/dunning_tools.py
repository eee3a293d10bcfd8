# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Small helpers shared by the reminder engine and the workbench."""

import calendar
import contextlib
import json
import re
import unicodedata
from array import array
from bisect import bisect_left
from contextvars import ContextVar
from datetime import timedelta

from psycopg2 import errors

from odoo.exceptions import AccessError
from odoo.tools import SQL

# The invoice rows of the reminders whose channels are being carried out
# (``invoice_tables_once``, read by ``account.dunning._get_invoice_tables``):
# {(reminder id, language): rows}. Python state of the thread, not a context
# key: QWeb renders the letters without the caller's context.
INVOICE_TABLES = ContextVar("account_dunning_invoice_tables", default=None)


@contextlib.contextmanager
def invoice_tables_once():
    """While the block runs, each reminder's invoice rows are made once per
    language (``_get_invoice_tables``): its letter and its email show the
    same, a tenth of a daily job with letters. For the time of a send only:
    the reminders' lines do not change meanwhile."""
    token = INVOICE_TABLES.set({})
    try:
        yield
    finally:
        INVOICE_TABLES.reset(token)


# What PostgreSQL raises when two transactions meet on the same rows: the
# work is done again later on fresh data (as Odoo retries a request), it is
# not a failure to report.
CONCURRENCY_ERRORS = (
    errors.LockNotAvailable,
    errors.SerializationFailure,
    errors.DeadlockDetected,
)


def is_concurrency_error(error):
    """Whether ``error`` (or what caused it) is two transactions meeting on
    the same rows rather than something wrong with the data."""
    while error is not None:
        if isinstance(error, CONCURRENCY_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def try_advisory_locks(cr, namespace, keys):
    """Take the transaction-level advisory lock of each (int, int) of
    ``keys`` in the lock space ``namespace`` (a text) without waiting, and
    return the keys obtained. Another transaction that holds one keeps it:
    its key is not returned. Nothing else waits for these locks: no row is
    locked, so users' invoices, payments and orders are never held up. The
    locks go with the transaction (commit or rollback)."""
    keys = sorted(set(keys))
    if not keys:
        return set()
    cr.execute(
        SQL(
            "SELECT key.a, key.b FROM unnest(%s::int[], %s::int[]) AS key(a, b) "
            "WHERE pg_try_advisory_xact_lock(hashtext(%s || ':' || key.a), key.b)",
            [key[0] for key in keys],
            [key[1] for key in keys],
            namespace,
        )
    )
    return {tuple(row) for row in cr.fetchall()}


def sql_array(values, column_type="int4"):
    """``values`` for a query parameter cast to an array of ``column_type``
    (``%s::int4[]``): as the text of the array for integers and booleans,
    else as they are. psycopg2 adapts a list element by element (0.35 s for
    the 200,000 ids of a large workbench, sent several times), the text at
    once (0.04 s)."""
    values = list(values)
    if column_type in ("int4", "int"):
        if None in values:
            return "{" + ",".join("NULL" if v is None else str(int(v)) for v in values) + "}"
        return "{" + ",".join(map(str, map(int, values))) + "}"
    if column_type in ("bool", "boolean"):
        if None in values:
            return (
                "{" + ",".join("NULL" if v is None else _BOOL_TEXT[bool(v)] for v in values) + "}"
            )
        return "{" + ",".join(map(_BOOL_TEXT.__getitem__, map(bool, values))) + "}"
    return values


_BOOL_TEXT = {True: "t", False: "f"}


class ListPlaces:
    """{record id: its place in a list} of the ids of a list (``ids``, in
    its order), read as a dict (``[]``, ``get``, ``in``), held in two
    arrays of C integers sorted by id: 8 bytes a record, against about 75
    for a dict of Python integers (15 MB for the 200,000 invoices of a
    large workbench). An id listed twice has the place of its first
    listing."""

    def __init__(self, ids):
        order = sorted(range(len(ids)), key=ids.__getitem__)
        self._ids = array("i", [ids[index] for index in order])
        self._places = array("i", order)

    def get(self, record_id, default=None):
        index = bisect_left(self._ids, record_id)
        if index < len(self._ids) and self._ids[index] == record_id:
            return self._places[index]
        return default

    def __contains__(self, record_id):
        return self.get(record_id) is not None

    def __getitem__(self, record_id):
        place = self.get(record_id)
        if place is None:
            raise KeyError(record_id)
        return place

    def __len__(self):
        return len(self._ids)


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
                sql_array(pair[0] for pair in pairs),
                sql_array(pair[1] for pair in pairs),
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


def countback_dso_sql(balances, sales, months=24):
    """``countback_dso`` in SQL, for many dates at once (the Collection
    Overview's month ends): a query of (``company_id``, ``date_end``,
    ``dso``) for each row of ``balances``, a query of (``company_id``,
    ``date_end``, ``balance``: what was owed on that date), from ``sales``,
    a query of (``company_id``, ``month``: its first day, ``amount``:
    invoiced less credited in it). The same walk: back from the month of
    ``date_end`` (counted up to that day), the months whose sales the
    balance covers count whole, the month where it runs out in
    proportion, ``months`` months at most; a month of net credit notes
    counts whole and covers nothing. A test compares the two."""
    return SQL(
        """
        WITH balances AS (%(balances)s),
        sales AS (%(sales)s),
        walk AS (
            SELECT balances.company_id,
                   balances.date_end,
                   step.step,
                   GREATEST(COALESCE(sales.amount, 0), 0)::float8 AS sales,
                   CASE WHEN step.step = 0 THEN EXTRACT(DAY FROM balances.date_end)
                        ELSE EXTRACT(DAY FROM step.month + INTERVAL '1 month - 1 day')
                   END AS days
              FROM balances
             CROSS JOIN LATERAL (
                   SELECT step, (date_trunc('month', balances.date_end)
                                 - step * INTERVAL '1 month')::date AS month
                     FROM generate_series(0, %(last)s) AS step
             ) AS step
              LEFT JOIN sales ON sales.company_id = balances.company_id
                             AND sales.month = step.month
        ),
        covered AS (
            SELECT walk.*,
                   SUM(sales) OVER months AS covered,
                   SUM(days) OVER months - days AS days_before
              FROM walk
            WINDOW months AS (PARTITION BY company_id, date_end ORDER BY step)
        )
        SELECT balances.company_id,
               balances.date_end,
               CASE WHEN balances.balance <= 0 THEN 0
                    ELSE COALESCE(
                        (SELECT FLOOR(covered.days_before
                                      + (balances.balance::float8
                                         - (covered.covered - covered.sales))
                                        / covered.sales * covered.days
                                      + 0.5)
                           FROM covered
                          WHERE covered.company_id = balances.company_id
                            AND covered.date_end = balances.date_end
                            AND covered.sales > 0
                            AND covered.covered >= balances.balance
                          ORDER BY covered.step
                          LIMIT 1),
                        (SELECT SUM(covered.days)
                           FROM covered
                          WHERE covered.company_id = balances.company_id
                            AND covered.date_end = balances.date_end))
               END::int AS dso
          FROM balances
        """,
        balances=balances,
        sales=sales,
        last=months - 1,
    )


def bulk_create(model, vals_list):
    """Create many records of a workbench model (tens of thousands of
    invoice lines, thousands of proposals) or the lines of the reminders the
    engine makes, in a few queries: one INSERT for the rows and one per
    many2many field, without the per-record work of ``create``. Only for
    these models, whose values the caller builds complete and valid (every
    stored field it needs, related ones included); the caller triggers
    what depends on them. Returns the new records in order."""
    if not vals_list:
        return model.browse()
    model.check_access("create")
    cr = model.env.cr
    names = list(vals_list[0])
    many2many = [name for name in names if model._fields[name].type == "many2many"]
    plain = [name for name in names if name not in many2many]
    ids = [
        row[0]
        for row in model.env.execute_query(
            SQL(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                model._table,
                len(vals_list),
            )
        )
    ]
    columns = [("id", "int4", sql_array(ids))]
    for name in plain:
        field = model._fields[name]
        column_type = field.column_type[1]
        if field.type == "json":
            # as the text of each value (what psycopg2's Json adapter sends,
            # made in Python for each value): the lists of ids of tens of
            # thousands of proposals
            values = [json.dumps(vals[name]) if vals[name] else None for vals in vals_list]
        else:
            values = sql_array(
                (field.convert_to_column(vals[name], model, validate=False) for vals in vals_list),
                column_type,
            )
        columns.append((name, column_type, values))
    now = cr.now()
    cr.execute(
        SQL(
            "INSERT INTO %s (%s, create_uid, create_date, write_uid, write_date) "
            "SELECT *, %s, %s, %s, %s FROM unnest(%s)",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(name) for name, _type, _values in columns),
            model.env.uid,
            now,
            model.env.uid,
            now,
            SQL(", ").join(
                SQL("%s::%s[]", values, SQL(column_type)) for _name, column_type, values in columns
            ),
        )
    )
    for name in many2many:
        insert_relation_pairs(
            cr,
            model._fields[name],
            [
                (record_id, other_id)
                for record_id, vals in zip(ids, vals_list, strict=True)
                for other_id in vals[name]
            ],
        )
    model.invalidate_model()
    return model.browse(ids)


# Who may do what, by level: each public method that changes something (or
# runs work as the superuser) calls ``check_dunning_access`` with its level.
# Invoicing users are reminder users and accounting administrators reminder
# managers (security/account_dunning_groups.xml).
ACCESS_GROUPS = {
    # reading: reminder users and read-only accountants (auditors)
    "read": ("account_dunning.group_dunning_user", "account.group_account_readonly"),
    # reminding, cancelling, posting letters, promises, disputes, statements
    "user": ("account_dunning.group_dunning_user",),
    # the daily job by hand, late-payment charges
    "manager": ("account_dunning.group_dunning_manager",),
    # the quotations' reminders (account_dunning_sale): salespeople
    "sales": ("sales_team.group_sale_salesman",),
}


def check_dunning_access(env, level, action):
    """Refuse ``action`` (what the user tried, as a verb phrase: "cancel
    reminders") with an AccessError unless the user of ``env`` is in one of
    the groups of ``level`` (``ACCESS_GROUPS``). The superuser (the engine
    writing what it owns) passes. A button's ``groups`` only hides it:
    this is what holds over RPC."""
    if env.su or any(env.user.has_group(group) for group in ACCESS_GROUPS[level]):
        return
    if level == "read":
        message = env._(
            "Only payment reminder users and read-only accountants may %(action)s.",
            action=action,
        )
    elif level == "user":
        message = env._("Only payment reminder users may %(action)s.", action=action)
    elif level == "manager":
        message = env._("Only payment reminder managers may %(action)s.", action=action)
    else:
        message = env._("Only salespeople may %(action)s.", action=action)
    raise AccessError(message)


# Windows' reserved characters and the path separators of every system
_UNSAFE_FILENAME_CHARS = re.compile(r'[<>:"/\\|?*]')


def safe_filename(name, default="document"):
    """``name`` (a customer's name, a reference...) made safe as the name of
    a file in a ZIP, an attachment or a download: no path separator (``/``,
    ``\\``) nor other character Windows refuses (they become ``-``), no
    ``..`` (one dot), no control character (a space), no dot or space at
    either end, at most 150 characters (the extension kept), ``default``
    when nothing is left. Customers set their own name on the portal: an
    unzip tool must never write outside its folder."""
    name = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in str(name or "")
    )
    name = _UNSAFE_FILENAME_CHARS.sub("-", name)
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: 149 - len(extension)].rstrip(" .") + "." + extension
        else:
            name = name[:150].rstrip(" .")
    return name or default


def log_notes(records, bodies):
    """An internal note on each of ``records`` (as the superuser), {record
    id: body}, as Odoo's ``_message_log_batch`` logs them (no notification,
    one Message-Id for the batch, the current user as author), in three
    queries whatever their number: Odoo logs the first, the others are
    copies of it made in SQL, each with its own record and body.

    Odoo's creation of a message sanitizes its body twice, a third of the
    daily job's time when it logged the history of thousands of invoices
    one message at a time; the bodies given here are the module's own,
    ``Markup`` formatted, which escapes every value they hold."""
    ids = [record_id for record_id in records.ids if record_id in bodies]
    if not ids:
        return
    records = records.sudo()
    first = records.browse(ids[0])._message_log_batch(bodies={ids[0]: bodies[ids[0]]})
    rest = ids[1:]
    if rest:
        Message = records.env["mail.message"]
        Message.flush_model()
        columns = [
            name
            for name, field in Message._fields.items()
            if field.store and field.column_type and name not in ("id", "res_id", "body")
        ]
        records.env.cr.execute(
            SQL(
                "INSERT INTO mail_message (%s, res_id, body) "
                "SELECT %s, rest.res_id, rest.body FROM mail_message, "
                "unnest(%s::int[], %s::text[]) AS rest(res_id, body) "
                "WHERE mail_message.id = %s",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(SQL.identifier("mail_message", name) for name in columns),
                rest,
                [str(bodies[record_id]) for record_id in rest],
                first.id,
            )
        )
    records.browse(ids).invalidate_recordset(["message_ids"])
