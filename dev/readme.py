"""Build README.rst from the readme/*.md fragments, in the OCA way.

Knows the little Markdown the fragments use: paragraphs, "- " lists,
*emphasis*, **strong**, `code`, fenced code blocks and "|" tables (their
first row the header)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("DEVELOP.md", "For Developers"),
    ("ROADMAP.md", "Known Issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def inline_code(line):
    """Markdown's `code` as RST's ``code``."""
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", line)


def table_to_rst(rows):
    """A Markdown "|" table (its lines) as an RST list-table, the first row
    its header; the line of dashes under the header is left out."""
    cells = [
        [cell.strip() for cell in row.strip().strip("|").split("|")]
        for row in rows
        if not re.fullmatch(r"[\s|:-]+", row)
    ]
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in cells:
        for index, cell in enumerate(row):
            out.append(f"   {'*' if index == 0 else ' '} - {inline_code(cell)}")
    return [*out, ""]


def md_to_rst(text):
    out, in_code, table = [], False, []
    for line in [*text.splitlines(), ""]:
        if not in_code and line.startswith("|"):
            table.append(line)
            continue
        if table:
            out.extend(table_to_rst(table))
            table = []
        if line.startswith("```"):
            if not in_code:
                out.extend(["::", ""])
            else:
                out.append("")
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line)
            continue
        image = re.fullmatch(r"!\[([^\]]*)\]\(([^)]+)\)", line.strip())
        if image:
            out.extend([f".. image:: {image[2]}", f"   :alt: {image[1]}", ""])
            continue
        out.append(inline_code(line))
    return "\n".join(out).strip() + "\n"


def main():
    title = "Payment Reminders (Dunning)"
    parts = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        ".. |license| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png",
        "    :alt: License: LGPL-3",
        "",
        "|license|",
        "",
    ]
    for name, heading in SECTIONS:
        body = md_to_rst((ROOT / "readme" / name).read_text())
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts += [body]
    (ROOT / "README.rst").write_text("\n".join(parts))


if __name__ == "__main__":
    main()
