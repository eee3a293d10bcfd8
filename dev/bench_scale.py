# Runs inside `odoo-bin shell` (see dev/bench.sh), where `env` is given,
# on a copy (createdb -T) of the scale-1 book: makes it a book BENCH_FACTOR
# times larger (10: 20,000 customers and 200,000 open invoices) in SQL, in
# minutes where Odoo's ORM would post for hours (about 1,000 invoices a
# minute on two cores). Odoo's ORM is not what the benchmark measures there:
# the book is. dev/bench.sh runs it for whole scales above 1
# (BENCH_SCALES="0.1 1 10"; not in the default scales "0.1 1": the daily
# job's steps at 10 would take ten times scale 1's, over twenty minutes).
# Copying the scale-1
# book ten times over, checking it and VACUUM ANALYZE take about a minute
# on two cores; with the scale-1 book generated first (about 20 minutes),
# the scale-10 book is ready in under half an hour.
#
# BENCH_SCALE_STEP=copy (default) adds BENCH_FACTOR - 1 copies of the
# benchmark's customers ("Customer NNNNN" and their contacts) with all that
# hangs on them: invoices and their lines, payments and their entries,
# partial and full reconciliations, the reminder history (reminders, their
# lines, their emails), the chatter (messages, tracking values,
# notifications, followers, activities, attachments) and the many2many
# links between copied rows. Copy k of a row gets the id ``id + k * offset``
# (offset: the table's largest id before the copy), so that a reference to
# a copied row becomes, in copy k, the same shift of the reference, without
# any lookup table; references to rows not copied (companies, journals,
# accounts, levels, users) are kept. The columns come from
# information_schema, so the copy follows the module when it adds columns;
# every stored column is copied as it is (computed ones included: they hold
# the same values for the same data), except:
# - ids and references to copied rows (foreign keys; res_model/res_id pairs;
#   tracked many2one values), shifted;
# - names and numbers, kept unique in the same format: customer names and
#   emails (Customer 00042 -> Customer 02042 in copy 1 at scale 1), entry
#   numbers (INV/2026/00042 -> INV/2026/20042, and their sequence_number),
#   reminder references (R-2611-0042), wherever the copied text holds them
#   (names, labels, references, memos, subjects, bodies);
# - matching numbers (P<partial id>, <full reconcile id>), shifted;
# - secrets (access_token: new ones; portal_code: emptied, made again on
#   demand) and mail Message-Ids (made unique).
# Then the tables' id sequences and the reminder numbering are set past the
# new rows. Foreign keys are not checked during the copy
# (session_replication_role): they are checked afterwards on the new rows.
#
# BENCH_SCALE_STEP=check then checks the copy with Odoo's ORM (a fresh
# process): invoices per payment state, currency and level, and reminders
# per state, are BENCH_FACTOR times those of the original customers; the
# stored computed fields of copied invoices and lines are what Odoo computes
# again; matching numbers; the reminder state of copied invoices
# (``_get_dunning_states_for_domain``) equals their originals'; posting a
# new invoice and paying a copied one work (rolled back).
# ruff: noqa: F821
import json
import os
import re
import time

STEP = os.environ.get("BENCH_SCALE_STEP") or "copy"
FACTOR = int(os.environ["BENCH_FACTOR"])
cr = env.cr

# The tables copied, in order, with the rows of the original book that are
# copied (``src_<table>``: temporary tables of ids, made in this order).
CUSTOMERS = "SELECT id FROM res_partner WHERE parent_id IS NULL AND name ~ '^Customer [0-9]+$'"
SELECTIONS = [
    ("res_partner", f"commercial_partner_id IN ({CUSTOMERS}) OR id IN ({CUSTOMERS})"),
    ("account_move", "commercial_partner_id IN (SELECT id FROM src_res_partner)"),
    (
        "account_payment",
        "move_id IN (SELECT id FROM src_account_move) "
        "OR partner_id IN (SELECT id FROM src_res_partner)",
    ),
    ("account_move_line", "move_id IN (SELECT id FROM src_account_move)"),
    (
        "account_partial_reconcile",
        "debit_move_id IN (SELECT id FROM src_account_move_line) "
        "OR credit_move_id IN (SELECT id FROM src_account_move_line)",
    ),
    (
        "account_full_reconcile",
        "id IN (SELECT full_reconcile_id FROM account_move_line "
        "WHERE id IN (SELECT id FROM src_account_move_line))",
    ),
    ("account_dunning", "partner_id IN (SELECT id FROM src_res_partner)"),
    ("account_dunning_line", "dunning_id IN (SELECT id FROM src_account_dunning)"),
    ("mail_message", "{records:model}"),
    ("mail_mail", "mail_message_id IN (SELECT id FROM src_mail_message)"),
    ("mail_tracking_value", "mail_message_id IN (SELECT id FROM src_mail_message)"),
    ("mail_notification", "mail_message_id IN (SELECT id FROM src_mail_message)"),
    ("mail_followers", "{records:res_model}"),
    ("mail_activity", "{records:res_model}"),
    ("ir_attachment", "{records:res_model}"),
]
# the records' own models: a (model, res_id) pair points to a copied row
RECORD_TABLES = ("res_partner", "account_move", "account_payment", "account_dunning")
# secrets: new ones for each copy
SECRETS = {"access_token": "gen_random_uuid()::text", "portal_code": "NULL"}

SHIFT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION pg_temp.bench_shift(t text, pats text[], offs bigint[], k int)
RETURNS text AS $$
DECLARE
    i int; s int; e int; pos int; digits text; n text;
BEGIN
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. coalesce(array_length(pats, 1), 0) LOOP
        pos := 1;
        LOOP
            s := regexp_instr(t, pats[i], pos, 1, 0, '', 1);
            EXIT WHEN s = 0;
            e := regexp_instr(t, pats[i], pos, 1, 1, '', 1);
            digits := substr(t, s, e - s);
            n := (digits::bigint + offs[i] * k)::text;
            n := lpad(n, greatest(length(digits), length(n)), '0');
            t := substr(t, 1, s - 1) || n || substr(t, e);
            pos := s + length(n);
        END LOOP;
    END LOOP;
    RETURN t;
END
$$ LANGUAGE plpgsql IMMUTABLE
"""


def log(message):
    print(f"[bench x{FACTOR}] {message}", flush=True)


def scalar(query, params=None):
    cr.execute(query, params)
    return cr.fetchone()[0]


def table_exists(table):
    return bool(scalar("SELECT to_regclass(%s) IS NOT NULL", [table]))


def columns(table):
    """[(name, data type)] of ``table``, from information_schema."""
    cr.execute(
        """SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
         ORDER BY ordinal_position""",
        [table],
    )
    return cr.fetchall()


def foreign_keys(table):
    """{column: referenced table} of ``table``'s one-column foreign keys."""
    cr.execute(
        """SELECT a.attname, c.confrelid::regclass::text
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.conrelid = %s::regclass
              AND array_length(c.conkey, 1) = 1""",
        [table],
    )
    return dict(cr.fetchall())


def models_by_table():
    return {
        model._table: name
        for name, model in env.registry.items()
        if not model._abstract and model._auto
    }


def shifted(column, table, offsets):
    """The expression of a reference to a row of ``table``: shifted when
    the row is copied."""
    return (
        f'CASE WHEN "{column}" IN (SELECT id FROM src_{table}) '
        f'THEN "{column}" + k * {offsets[table]} ELSE "{column}" END'
    )


def record_reference(model_column, offsets, models):
    """The expression of a res_id beside its model column: shifted when it
    points to a copied record."""
    whens = " ".join(
        f"WHEN '{models[table]}' THEN {shifted('res_id', table, offsets)}"
        for table in RECORD_TABLES
    )
    return f'CASE "{model_column}" {whens} ELSE res_id END'


def records_condition(model_column, models):
    return " OR ".join(
        f"(\"{model_column}\" = '{models[table]}' AND res_id IN (SELECT id FROM src_{table}))"
        for table in RECORD_TABLES
    )


def quoted(name):
    return f'"{name}"'


def numbering():
    """The numbers copies renumber: [(regex whose one group is the digits,
    offset per copy)], and the offset of the entries' sequence numbers."""
    customers = scalar(
        f"SELECT max(substring(name from '^Customer ([0-9]+)$')::int) + 1 FROM res_partner "
        f"WHERE id IN ({CUSTOMERS})"
    )
    patterns = [
        (r"Customer ([0-9]+)", customers),
        (r"\mc([0-9]+)@bench\.example\.com", customers),
    ]
    # entries: one pattern per prefix, shifted by the largest number
    entries = scalar("SELECT coalesce(max(sequence_number), 0) FROM account_move")
    cr.execute(
        "SELECT DISTINCT sequence_prefix FROM account_move "
        "WHERE id IN (SELECT id FROM src_account_move) AND sequence_prefix IS NOT NULL"
    )
    patterns += [(re.escape(prefix) + "([0-9]+)", entries) for (prefix,) in cr.fetchall()]
    # reminder references: PREFIX + number, one counter for all prefixes
    cr.execute(
        "SELECT DISTINCT substring(name from '^(.*[^0-9])[0-9]+$') FROM account_dunning "
        "WHERE id IN (SELECT id FROM src_account_dunning)"
    )
    prefixes = [prefix for (prefix,) in cr.fetchall() if prefix]
    reminders = scalar(
        "SELECT coalesce(max(substring(name from '([0-9]+)$')::int), 0) FROM account_dunning"
    )
    patterns += [(re.escape(prefix) + "([0-9]+)", reminders) for prefix in prefixes]
    return patterns, entries


def text_columns_to_shift(table, patterns):
    """The text columns of ``table`` whose copied rows hold a number to
    renumber."""
    texts = [
        name for name, kind in columns(table) if kind in ("character varying", "text", "character")
    ]
    if not texts:
        return set()
    combined = "|".join(f"(?:{pattern})" for pattern, _offset in patterns)
    cr.execute(
        "SELECT "
        + ", ".join(f'bool_or("{name}" ~ %(pattern)s)' for name in texts)
        + f" FROM {table} WHERE id IN (SELECT id FROM src_{table})",
        {"pattern": combined},
    )
    return {name for name, found in zip(texts, cr.fetchone(), strict=True) if found}


def expressions(table, offsets, patterns, entries, models, copied):
    """{column: its value in copy k} for ``table``."""
    keys = foreign_keys(table)
    shift_texts = text_columns_to_shift(table, patterns)
    tracked = {}
    if table == "mail_tracking_value":
        # many2one values tracked: the ids of the records they pointed to
        for other in copied:
            if other in models:
                tracked[other] = (
                    "SELECT id FROM ir_model_fields WHERE ttype = 'many2one' "
                    f"AND relation = '{models[other]}'"
                )
    result = {}
    names = [name for name, _kind in columns(table)]
    for name, _kind in columns(table):
        if name == "id":
            value = f"id + k * {offsets[table]}"
        elif keys.get(name) in copied:
            value = shifted(name, keys[name], offsets)
        elif name == "res_id" and ({"res_model", "model"} & set(names)):
            value = record_reference(
                "res_model" if "res_model" in names else "model", offsets, models
            )
        elif table == "account_move_line" and name == "matching_number":
            value = (
                "CASE WHEN matching_number ~ '^P[0-9]+$' THEN 'P' || "
                f"(substr(matching_number, 2)::int + k * {offsets['account_partial_reconcile']})"
                " WHEN matching_number ~ '^[0-9]+$' THEN "
                f"(matching_number::int + k * {offsets.get('account_full_reconcile', 0)})::text"
                " ELSE matching_number END"
            )
        elif table == "account_move" and name == "sequence_number":
            value = f"sequence_number + k * {entries}"
        elif name in SECRETS:
            value = f'CASE WHEN "{name}" IS NULL THEN NULL ELSE {SECRETS[name]} END'
        elif table == "mail_message" and name == "message_id":
            value = (
                "CASE WHEN message_id IS NULL THEN NULL "
                "ELSE '<bench' || k || '.' || ltrim(message_id, '<') END"
            )
        elif tracked and name in ("old_value_integer", "new_value_integer"):
            whens = " ".join(
                f'WHEN field_id IN ({fields_query}) AND "{name}" IN (SELECT id FROM src_{other}) '
                f'THEN "{name}" + k * {offsets[other]}'
                for other, fields_query in tracked.items()
            )
            value = f'CASE {whens} ELSE "{name}" END'
        elif name in shift_texts:
            value = f'pg_temp.bench_shift("{name}", %(patterns)s, %(offsets)s, k)'
        else:
            value = f'"{name}"'
        result[name] = value
    return result


def many2many_tables(copied):
    """The link tables (no id) of copied rows: [(table, {column: referenced
    table}, owner column)]. A link is copied with its owner, the copied row
    it belongs to (of the table copied last: a message's recipients belong
    to the message, a customer's tags to the customer); its other copied
    rows are shifted, the rest kept. Links to a transient model, or to a
    table of rows that belong to the book but are not copied (one with a
    reference to a copied table: reported by ``warn_references``), are left
    out."""
    order = list(copied)
    transient = {model._table for model in env.registry.values() if model._transient}
    cr.execute(
        """SELECT DISTINCT c.conrelid::regclass::text FROM pg_constraint c
            WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)""",
        [list(copied)],
    )
    result = []
    for (table,) in cr.fetchall():
        names = {name for name, _kind in columns(table)}
        if "id" in names or table in copied:
            continue
        keys = foreign_keys(table)
        others = {ref for ref in keys.values() if ref not in copied}
        if others & transient:
            continue
        if any(set(foreign_keys(other).values()) & set(copied) for other in others):
            continue
        owner = max(
            (name for name, ref in keys.items() if ref in copied),
            key=lambda name: order.index(keys[name]),
        )
        result.append((table, keys, owner))
    return result


def warn_references(copied, links):
    """Say which other tables hold rows referring to copied rows: those
    rows stay with the original only (review them when the module adds
    data to the book)."""
    transient = {model._table for model in env.registry.values() if model._transient}
    cr.execute(
        """SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)
              AND array_length(c.conkey, 1) = 1""",
        [list(copied)],
    )
    for table, column, ref in cr.fetchall():
        if table in copied or table in links or table in transient:
            continue
        count = scalar(
            f'SELECT count(*) FROM {table} WHERE "{column}" IN (SELECT id FROM src_{ref})'
        )
        if count:
            log(f"not copied: {count} rows of {table} refer to copied {ref} ({column})")


def copy():
    started = time.perf_counter()
    models = models_by_table()
    cr.execute(SHIFT_FUNCTION)
    copied = {}
    offsets = {}
    for table, condition in SELECTIONS:
        if not table_exists(table):
            continue
        if condition.startswith("{records:"):
            condition = records_condition(condition[len("{records:") : -1], models)
        offsets[table] = scalar(f"SELECT coalesce(max(id), 0) FROM {table}")
        cr.execute(
            f"CREATE TEMP TABLE src_{table} (id int PRIMARY KEY) ON COMMIT DROP; "
            f"INSERT INTO src_{table} SELECT id FROM {table} WHERE {condition}; "
            f"ANALYZE src_{table}"
        )
        copied[table] = scalar(f"SELECT count(*) FROM src_{table}")
    exchange = scalar(
        "SELECT count(*) FROM account_partial_reconcile WHERE id IN "
        "(SELECT id FROM src_account_partial_reconcile) AND exchange_move_id IS NOT NULL "
        "AND exchange_move_id NOT IN (SELECT id FROM src_account_move)"
    )
    if exchange:
        log(f"warning: {exchange} exchange difference entries are not copied")
    patterns, entries = numbering()
    log(
        "copying "
        + ", ".join(f"{count:,} {table}" for table, count in copied.items())
        + f" {FACTOR - 1} times; renumbering {', '.join(p for p, _o in patterns)}"
    )
    params = {
        "patterns": [pattern for pattern, _offset in patterns],
        "offsets": [offset for _pattern, offset in patterns],
        "factor": FACTOR,
    }
    cr.execute("SET LOCAL session_replication_role = replica")
    for table in copied:
        step = time.perf_counter()
        values = expressions(table, offsets, patterns, entries, models, copied)
        cr.execute(
            f"INSERT INTO {table} ({', '.join(map(quoted, values))}) "
            f"SELECT {', '.join(values.values())} "
            f"FROM {table}, generate_series(1, %(factor)s - 1) AS k "
            f"WHERE {table}.id IN (SELECT id FROM src_{table})",
            params,
        )
        log(f"{table}: {cr.rowcount:,} rows in {time.perf_counter() - step:.1f} s")
    links = many2many_tables(copied)
    for table, keys, owner in links:
        step = time.perf_counter()
        names = [name for name, _kind in columns(table)]
        exprs = [
            shifted(name, keys[name], offsets) if keys.get(name) in copied else f'"{name}"'
            for name in names
        ]
        condition = f'"{owner}" IN (SELECT id FROM src_{keys[owner]})'
        cr.execute(
            f"INSERT INTO {table} ({', '.join(map(quoted, names))}) "
            f"SELECT {', '.join(exprs)} FROM {table}, generate_series(1, %(factor)s - 1) AS k "
            f"WHERE {condition}",
            params,
        )
        log(f"{table}: {cr.rowcount:,} links in {time.perf_counter() - step:.1f} s")
    cr.execute("SET LOCAL session_replication_role = DEFAULT")
    warn_references(copied, {link[0] for link in links})
    check_foreign_keys(copied, offsets, [link[0] for link in links])
    for table in copied:
        cr.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}))"
        )
    # the next reminder reference comes after the copies'
    top = scalar(
        "SELECT coalesce(max(substring(name from '([0-9]+)$')::int), 0) FROM account_dunning"
    )
    for sequence in env["ir.sequence"].sudo().search([("code", "=", "account.dunning")]):
        if sequence.number_next_actual <= top:
            sequence.number_next_actual = top + 1
    # what the check step needs to find a copy's original
    env["ir.config_parameter"].sudo().set_param(
        "account_dunning.bench_copy", json.dumps({"factor": FACTOR, "offsets": offsets})
    )
    env.cr.commit()
    log(f"copied in {time.perf_counter() - started:.1f} s")


def check_foreign_keys(copied, offsets, links):
    """Every foreign key of the new rows points to an existing row (the
    copy ran without Postgres checking them)."""
    missing = []
    for table in [*copied, *links]:
        new_rows = f"{table}.id > {offsets[table]}" if table in copied else "true"
        for column, ref in foreign_keys(table).items():
            count = scalar(
                f'SELECT count(*) FROM {table} WHERE {new_rows} AND "{column}" IS NOT NULL '
                f'AND NOT EXISTS (SELECT 1 FROM {ref} WHERE {ref}.id = {table}."{column}")'
            )
            if count:
                missing.append(f"{table}.{column}: {count}")
    if missing:
        raise AssertionError("references to missing rows: " + ", ".join(missing))
    log("foreign keys of the new rows checked")


def check():
    """The copy through Odoo's ORM: see the header."""
    started = time.perf_counter()
    Move = env["account.move"]
    Partner = env["res.partner"]
    offsets = json.loads(env["ir.config_parameter"].sudo().get_param("account_dunning.bench_copy"))[
        "offsets"
    ]
    customers = Partner.search([("name", "=like", "Customer %"), ("parent_id", "=", False)])
    first = customers.filtered(lambda p: p.id <= offsets["res_partner"])
    count = len(customers)
    assert count == FACTOR * len(first), (count, len(first))
    invoices = [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
    for group in ("payment_state", "currency_id", "dunning_level_id", "dunning_plan_id"):
        everything = dict(Move._read_group(invoices, [group], ["__count"]))
        original = dict(
            Move._read_group(
                [*invoices, ("commercial_partner_id", "in", first.ids)], [group], ["__count"]
            )
        )
        assert everything == {key: FACTOR * n for key, n in original.items()}, (
            group,
            everything,
            original,
        )
        log(f"invoices per {group}: {json.dumps({str(k): v for k, v in everything.items()})}")
    Dunning = env["account.dunning"]
    everything = dict(Dunning._read_group([], ["state"], ["__count"]))
    original = dict(Dunning._read_group([("partner_id", "in", first.ids)], ["state"], ["__count"]))
    assert everything == {key: FACTOR * n for key, n in original.items()}, (everything, original)
    names = Dunning.search([]).mapped("name")
    assert len(names) == len(set(names)), "reminder references not unique"
    log(f"reminders per state: {everything}")

    # copied invoices (the last copy) and their originals
    last = customers.filtered(lambda p: p.id > (FACTOR - 1) * offsets["res_partner"])
    copies = Move.search([*invoices, ("commercial_partner_id", "in", last.ids)], order="id")
    partial = copies.filtered(lambda m: m.payment_state == "partial")
    sample = (partial[:50] | copies[:150]).sorted("id")
    originals = Move.browse([move.id - (FACTOR - 1) * offsets["account_move"] for move in sample])
    assert partial, "no partly paid copied invoice"
    # a copied invoice's amount_residual equals its lines'
    for move in partial[:20]:
        lines = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        assert (
            move.currency_id.compare_amounts(
                move.amount_residual, sum(lines.mapped("amount_residual_currency"))
            )
            == 0
        ), (move.name, move.amount_residual)
        partials = lines.matched_credit_ids
        assert partials and set(lines.mapped("matching_number")) == {
            f"P{min(partials.ids)}"
        }, move.name
    # stored computed fields: what Odoo computes again
    move_fields = [
        "amount_untaxed",
        "amount_total",
        "amount_residual",
        "amount_residual_signed",
        "payment_state",
        "commercial_partner_id",
        "invoice_partner_display_name",
        "dunning_date_due",
        "dunning_plan_id",
    ]
    line_fields = ["amount_residual", "amount_residual_currency", "reconciled", "move_name"]
    stored = {m.id: m.read(move_fields)[0] for m in sample}
    lines = sample.line_ids
    stored_lines = {line.id: line.read(line_fields)[0] for line in lines}
    env.invalidate_all()
    for name in move_fields:
        env.add_to_compute(Move._fields[name], sample)
    for name in line_fields:
        env.add_to_compute(env["account.move.line"]._fields[name], lines)
    sample._recompute_recordset()
    lines._recompute_recordset()
    env.flush_all()
    env.invalidate_all()
    for move in sample:
        assert move.read(move_fields)[0] == stored[move.id], (move.name, stored[move.id])
    for line in lines:
        assert line.read(line_fields)[0] == stored_lines[line.id], stored_lines[line.id]
    # the reminder state of copied invoices is their originals'
    states = Move._get_dunning_states_for_domain([("id", "in", sample.ids)])
    before = Move._get_dunning_states_for_domain([("id", "in", originals.ids)])
    assert len(states) == len(before) and states, (len(states), len(before))
    for move, original in zip(sample, originals, strict=True):
        if move.id not in states:
            continue
        mine, theirs = dict(states[move.id]), dict(before[original.id])
        for key in ("partner_id", "move_id", "id"):
            mine.pop(key, None)
            theirs.pop(key, None)
        assert mine == theirs, (move.name, mine, theirs)
    assert sample[0].name != originals[0].name
    log(f"{len(states)} copied invoices: stored fields and reminder states as computed")
    # a new invoice is numbered after the copies; a copied invoice can be paid
    invoice = Move.create(
        {
            "move_type": "out_invoice",
            "partner_id": last[0].id,
            "invoice_line_ids": [(0, 0, {"name": "Check", "quantity": 1, "price_unit": 10})],
        }
    )
    invoice.action_post()
    top = scalar(
        "SELECT max(sequence_number) FROM account_move WHERE sequence_prefix = %s AND id != %s",
        [invoice.sequence_prefix, invoice.id],
    )
    assert invoice.sequence_number == top + 1, (invoice.name, top)
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=partial[0].ids
    ).create({})._create_payments()
    assert partial[0].payment_state in ("paid", "in_payment"), partial[0].payment_state
    reference = Dunning._get_reference_sequence(env.company.id).next_by_id()
    assert reference not in set(names), reference
    log(f"new invoice {invoice.name}, a copied invoice paid, next reminder {reference}")
    env.cr.rollback()
    log(f"checked in {time.perf_counter() - started:.1f} s")


{"copy": copy, "check": check}[STEP]()
