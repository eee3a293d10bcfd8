"""The addon's XML files parse and its CSV files have rows as wide as their
header: a broken file is caught before Odoo loads it.

    python dev/check_files.py REPO
"""

import csv
import pathlib
import subprocess
import sys
from xml.etree import ElementTree


def main(repo):
    repo = pathlib.Path(repo)
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    errors = []
    for name in files:
        path = repo / name
        if not path.is_file():
            continue
        if name.endswith(".xml"):
            try:
                ElementTree.parse(path)
            except ElementTree.ParseError as error:
                errors.append(f"{name}: {error}")
        elif name.endswith(".csv"):
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            width = len(rows[0]) if rows else 0
            errors += [
                f"{name}:{number}: {len(row)} columns, the header has {width}"
                for number, row in enumerate(rows[1:], 2)
                if row and len(row) != width
            ]
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
