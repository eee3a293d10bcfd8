"""Read an Odoo test log and print one closing line: N passed, N failed.

Exits 1 when a test failed or errored, when no test ran, or when the log
holds errors outside tests (a module that failed to load)."""

import re
import sys

RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
SKIPPED = re.compile(r"odoo\.tests\.result: .* (\d+) skipped")
PROBLEM = re.compile(r" (ERROR|CRITICAL) \S+ (odoo\.[\w.]+): (.*)|demo data failed to install")


def main(path):
    failed = errors = total = 0
    problems = []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = RESULT.search(line)
            if match:
                failed += int(match.group(1))
                errors += int(match.group(2))
                total += int(match.group(3))
            problem = PROBLEM.search(line)
            if problem:
                problems.append(line.rstrip())
    bad = failed + errors
    for line in problems[:40]:
        print(line)
    if total == 0:
        print("[test] no test ran: a test file not imported, or the module did not load")
    elif problems and not bad:
        # an error outside any test (e.g. a data file that failed) still fails
        bad = 1
    print(f"{max(total - bad, 0)} passed, {bad} failed")
    return 1 if (bad or total == 0) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
