# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the engine owns and what the user may see: the checks that hold on
every path (RPC, import, a form), whatever the screens make readonly.

The engine writes what it owns as the superuser (``sudo()``), after its own
check that the user may remind (``account.dunning.engine
._create_reminders_report``), or, where a record must stay the user's (a
charges invoice, created with their rights), inside ``engine_writes()``.
Neither can come from a request: ``sudo()`` is not reachable over RPC, and
the flag of ``engine_writes`` is Python state of the running thread, unlike
a context key, which a JSON-RPC call sets to whatever it likes."""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo.exceptions import AccessError

_ENGINE_WRITING = ContextVar("account_dunning_engine_writing", default=False)


@contextmanager
def engine_writes():
    """The engine's own writes, with the user's rights, of the fields it
    owns (``is_engine_write``): for this thread, until the block ends."""
    token = _ENGINE_WRITING.set(True)
    try:
        yield
    finally:
        _ENGINE_WRITING.reset(token)


def is_engine_write(env):
    """Whether a write in ``env`` is the engine's: as the superuser, or
    inside ``engine_writes``."""
    return env.su or _ENGINE_WRITING.get()


def field_labels(model, fnames):
    """The labels of the fields ``fnames`` of ``model``, in the user's
    language, for a message."""
    return ", ".join(
        sorted(
            model._fields[fname]._description_string(model.env)
            for fname in fnames
            if fname in model._fields
        )
    )


def check_user_fields(records, vals, user_fields, message):
    """Refuse (AccessError) a user's write of ``vals`` on ``records`` (made
    by the engine) beyond ``user_fields``, the fields its users may write;
    ``message(ref, fields)`` says it. The engine's own writes pass."""
    if is_engine_write(records.env):
        return
    engine_fields = set(vals) - set(user_fields)
    if engine_fields:
        raise AccessError(message(records[:1].name or "", field_labels(records, engine_fields)))


def check_engine_fields(model, fnames, vals_list, create=False):
    """Refuse (AccessError) a user's create or write of ``vals_list`` on
    ``model`` that sets one of ``fnames``, the fields the engine owns; the
    engine's own writes (``is_engine_write``) pass. On ``create``, a
    default in the context (``default_<field>``) is a value too."""
    if is_engine_write(model.env):
        return
    given = {fname for vals in vals_list for fname in vals if fname in fnames}
    if create:
        given |= {fname for fname in fnames if f"default_{fname}" in model.env.context}
    if given:
        labels = field_labels(model, given)
        raise AccessError(
            model.env._(
                "These fields are written by the reminders alone and cannot be "
                "changed by hand: %(fields)s (%(model)s).",
                fields=labels,
                model=model.env["ir.model"].sudo()._get(model._name).name,
            )
        )


def check_readable(*recordsets):
    """Refuse (AccessError) records the user may not read, or that belong
    to a company the user did not select (``env.companies``): what a wizard
    shows or acts on is what its user may see. The record rules of the
    invoices, customers and levels are those of the companies selected;
    companies themselves are checked against that selection."""
    for records in recordsets:
        if not records or records.env.su:
            continue
        if records._name == "res.company":
            outside = records - records.env.companies
            if outside:
                raise AccessError(
                    records.env._(
                        "This is for a company you do not work in now: select it "
                        "in the company switcher first."
                    )
                )
            continue
        records.check_access("read")
