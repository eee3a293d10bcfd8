"""Read Odoo test logs (one per database) and print one closing line for
all of them: N passed, N failed.

Exits 1 when a test failed or errored, when no test ran in one of the logs,
or when a log holds errors outside tests (a module that failed to load)."""

import re
import sys

RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
SKIPPED = re.compile(r"odoo\.tests\.result: .* (\d+) skipped")
PROBLEM = re.compile(r" (ERROR|CRITICAL) \S+ (odoo\.[\w.]+): (.*)|demo data failed to install")


def read(path):
    """(failed, errors, total, problems) of the log at ``path``."""
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
    return failed, errors, total, problems


def main(*paths):
    bad = total = 0
    silent = False
    for path in paths:
        failed, errors, ran, problems = read(path)
        for line in problems[:40]:
            print(line)
        if ran == 0:
            print(
                f"[test] no test ran in {path}: a test file not imported, "
                "or the module did not load"
            )
            silent = True
        elif problems and not failed + errors:
            # an error outside any test (e.g. a data file that failed) still fails
            errors = 1
        bad += failed + errors
        total += ran
    print(f"{max(total - bad, 0)} passed, {bad} failed")
    return 1 if (bad or silent) else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
