"""Print the benchmark's results (one JSON object per line) as tables: the
steps on the books of invoices, then the accounting step (one row per
database, then the module's ratio and extra queries), then the daily job on
queue_job (one row per capacity of its channel, the speed-up of each over
capacity 1)."""

import json
import sys

COLUMNS = [
    ("scale", "scale", "{}"),
    ("customers", "customers", "{:,}"),
    ("invoices", "invoices", "{:,}"),
    ("step", "measured", "{}"),
    ("seconds", "seconds", "{:.2f}"),
    ("queries", "SQL queries", "{:,}"),
    ("wkhtmltopdf", "wkhtmltopdf runs", "{}"),
    ("reminders", "reminders", "{:,}"),
    ("rows", "rows", "{:,}"),
    ("letters", "letter PDFs", "{:,}"),
    ("rss_before_mb", "RSS before (MB)", "{:.0f}"),
    ("peak_mb", "peak RSS (MB)", "{:.0f}"),
]


ACCOUNTING_COLUMNS = [
    ("modules", "database", "{}"),
    ("invoices", "invoices", "{:,}"),
    ("create_queries", "create: queries", "{:,}"),
    ("post_queries", "post: queries", "{:,}"),
    ("post_per_invoice", "per invoice posted", "{:.2f}"),
    ("payments", "payments", "{:,}"),
    ("pay_queries", "pay: queries", "{:,}"),
    ("pay_per_payment", "per payment", "{:.2f}"),
    ("post_seconds", "post: seconds", "{:.1f}"),
    ("pay_seconds", "pay: seconds", "{:.1f}"),
]


QUEUE_COLUMNS = [
    ("step", "measured", "{}"),
    ("seconds", "seconds", "{:.1f}"),
    ("ratio", "speed-up", "{:.2f}x"),
    ("planning_seconds", "planning (s)", "{:.1f}"),
    ("batches", "batches", "{:,}"),
    ("batch_seconds", "in batches (s)", "{:.1f}"),
    ("tally_seconds", "in tallies (s)", "{:.1f}"),
    ("retries", "retries", "{:,}"),
    ("reminders", "reminders", "{:,}"),
    ("customers", "customers", "{:,}"),
    ("twice", "reminded twice", "{:,}"),
    ("load", "load before", "{:.2f}"),
]


def cell(row, key, fmt):
    """The value of ``key`` in ``row`` in its column's format; strings are
    taken as they are (the comparison rows come formatted)."""
    if key not in row:
        return ""
    return row[key] if isinstance(row[key], str) else fmt.format(row[key])


def write_table(columns, rows):
    table = [[title for _key, title, _fmt in columns]]
    for row in rows:
        table.append([cell(row, key, fmt) for key, _title, fmt in columns])
    widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
    for n, r in enumerate(table):
        sys.stdout.write(
            "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |\n"
        )
        if n == 0:
            sys.stdout.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")


def accounting_rows(rows):
    """One row per database with its queries per invoice and per payment,
    then, when both databases ran, the ratio of their queries and the
    module's extra queries per invoice posted and per payment."""
    for row in rows:
        row["post_per_invoice"] = row["post_queries"] / row["invoices"]
        row["pay_per_payment"] = row["pay_queries"] / row["payments"] if row["payments"] else 0.0
    rows = sorted(rows, key=lambda row: row["modules"] != "account")
    without = next((row for row in rows if row["modules"] == "account"), None)
    with_ = next((row for row in rows if row["modules"] != "account"), None)
    if not (without and with_):
        return rows
    ratio = {"modules": "ratio with / without"}
    extra = {"modules": "extra with the module"}
    for key in ("create_queries", "post_queries", "pay_queries"):
        ratio[key] = f"{with_[key] / without[key]:.3f}"
        extra[key] = f"{with_[key] - without[key]:+,}"
    for key in ("post_per_invoice", "pay_per_payment"):
        ratio[key] = f"{with_[key] / without[key]:.3f}" if without[key] else ""
        extra[key] = f"{with_[key] - without[key]:+.2f}"
    return [*rows, ratio, extra]


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    mixes = [row for row in rows if row["step"] == "mix"]
    builds = {row["scale"]: row for row in rows if row["step"] == "build"}
    rows = [row for row in rows if row["step"] not in ("mix", "build")]
    queue = [row for row in rows if "capacity" in row]
    book = [row for row in rows if row["step"] != "accounting" and "capacity" not in row]
    accounting = [row for row in rows if row["step"] == "accounting"]
    if book or not (accounting or queue):
        write_table(COLUMNS, book)
    if accounting:
        if book:
            sys.stdout.write("\n")
        write_table(ACCOUNTING_COLUMNS, accounting_rows(accounting))
    if queue:
        if book or accounting:
            sys.stdout.write("\n")
        sys.stdout.write("The daily job at scale 1 on queue_job (plain emails):\n")
        write_table(QUEUE_COLUMNS, queue)
    for row in mixes:
        sys.stdout.write(f"\nThe book at scale {row['scale']}:\n")
        build = builds.get(row["scale"])
        if build:
            minutes, seconds = divmod(int(build["seconds"]), 60)
            sys.stdout.write(f"- {build['how']} in {minutes} min {seconds:02d} s\n")
        for key, title in (
            ("payment_state", "invoices per payment state"),
            ("currency", "per currency"),
            ("level", "per reminder level reached"),
            ("reminders", "reminders per state"),
        ):
            if key not in row:
                continue
            figures = ", ".join(f"{name} {count:,}" for name, count in row[key].items())
            sys.stdout.write(f"- {title}: {figures}\n")


if __name__ == "__main__":
    main(sys.argv[1])
