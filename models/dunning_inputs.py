# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What users may type, checked before the database sees it: numbers within
sensible bounds, one valid email address, dates; and who may read the
reminder fields of customers and invoices."""

from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize
from odoo.tools.mail import single_email_re

# The reminder fields of customers and invoices are for internal reminder
# users and read-only accountants (the groups of the screens that show
# them), never for portal users or the public.
DUNNING_READ_GROUPS = "account_dunning.group_dunning_user,account.group_account_readonly"

# Bounds of what users type. Below or above these, a number is a typing
# error, not a setting.
PERCENT_BOUNDS = (0, 100)  # a yearly penalty or reference rate, in %
INTERVAL_BOUNDS = (0, 365)  # days between two reminders to one customer
GRACE_BOUNDS = (0, 90)  # days a promised payment may take to arrive
QUOTATION_DAYS_BOUNDS = (0, 365)  # quotation reminders, from the validity date
FILTER_DAYS_BOUNDS = (-36500, 36500)  # the workbench's "days late" filters
SEVERITY_BOUNDS = (1, 5)  # a reminder level's severity

# The dates of a statement: what an accounting period can be.
STATEMENT_DATES = (date(1900, 1, 1), date(2999, 12, 31))


def check_bounds(model, vals_list, bounds):
    """Raise a ValidationError, in the user's language, when a value of
    ``vals_list`` (the values of a ``create`` or ``write`` of ``model``) is
    not a number within ``bounds`` ({field name: (lowest, highest)}).
    Called before the database sees the values: 1e10 days is a message, not
    an integer overflow of PostgreSQL."""
    env = model.env
    for vals in vals_list:
        for fname, (low, high) in bounds.items():
            if fname not in vals or vals[fname] is None or vals[fname] is False:
                continue
            value = vals[fname]
            label = model._fields[fname]._description_string(env)
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = None
            if number is None or not low <= number <= high:
                raise ValidationError(
                    env._(
                        "%(field)s must be between %(min)s and %(max)s (not %(value)s).",
                        field=label,
                        min=low,
                        max=high,
                        value=value,
                    )
                )


def single_email(email):
    """``email`` normalized when it is one valid email address (Odoo's
    ``email_normalize``, a domain with a dot), else False: never a second
    address (a comma, a semicolon), a line break (a ``Bcc:`` header slipped
    into an email) or another control character."""
    if not email or not isinstance(email, str):
        return False
    if any(char in ",;" or ord(char) < 32 or ord(char) == 127 for char in email):
        return False
    normalized = email_normalize(email)
    if not normalized or not single_email_re.match(normalized):
        return False
    return normalized


def check_email(env, email, where):
    """Raise a ValidationError, in the user's language, unless ``email`` is
    empty or one valid address (``single_email``); ``where`` names the
    field the user typed it in."""
    if email and not single_email(email):
        raise ValidationError(
            env._(
                "%(where)s: %(email)s is not one valid email address. Give one address, "
                "such as name@example.com, without a comma or a line break.",
                where=where,
                email=email.replace("\r", " ").replace("\n", " "),
            )
        )


def to_date(env, value, what):
    """``value`` (a date or its text) as a date, within ``STATEMENT_DATES``;
    False when empty. A UserError in the user's language otherwise:
    ``what`` names the date ("the end date")."""
    if not value:
        return False
    try:
        day = fields.Date.to_date(value)
    except (TypeError, ValueError, OverflowError):
        day = None
    low, high = STATEMENT_DATES
    if day is None or not low <= day <= high:
        raise UserError(
            env._(
                "%(what)s must be a date between %(min)s and %(max)s, not %(value)s.",
                what=what,
                min=low.isoformat(),
                max=high.isoformat(),
                value=str(value)[:40],
            )
        )
    return day


def days_before(day, days):
    """``day`` less ``days`` days, held to the dates Python knows: a number
    of days too large for a date (a search for more than 999,999,999 days
    late) gives the first or last date, which no due date passes."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min if days > 0 else date.max
