"""Print the benchmark's results (one JSON object per line) as a table."""

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
    ("letters", "letter PDFs", "{:,}"),
    ("rss_before_mb", "RSS before (MB)", "{:.0f}"),
    ("peak_mb", "peak RSS (MB)", "{:.0f}"),
]


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    table = [[title for _key, title, _fmt in COLUMNS]]
    for row in rows:
        table.append(
            [fmt.format(row.get(key, "")) if key in row else "" for key, _title, fmt in COLUMNS]
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
    for n, r in enumerate(table):
        sys.stdout.write(
            "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |\n"
        )
        if n == 0:
            sys.stdout.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")


if __name__ == "__main__":
    main(sys.argv[1])
