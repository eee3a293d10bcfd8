#!/usr/bin/env python3
"""Mutation check: break the module's rules one at a time, on purpose, and
see which tests notice.

Each mutation of dev/mutation_list.py replaces one snippet of the code (a
rule broken in one line) in a copy of the work tree, then runs the test
classes that should catch it against a copy of a database that has the
addons installed. A mutant is

- killed: at least one test fails or errors (one that passes on the code
  as it is: the baseline run says which);
- survived: every test passes: no test guards that rule;
- invalid: the module did not load, or no test ran (a tag wrong);
- stale: its snippet no longer occurs exactly once: update the list.

The work tree is never edited: the files (tracked and new ones, as they
are when the run starts) are copied to a temporary folder, linked under a
folder named account_dunning for Odoo. The database copies come from
account_dunning_mutation_template (the addons installed once, without demo
data, updated to the copied code at the start of each run). One Odoo at a
time, under ``nice``. Not part of ``make test`` nor of CI: run it on demand.

    python3 dev/mutation.py                  # every mutation (an hour or two)
    python3 dev/mutation.py NAME [NAME...]   # some of them
    python3 dev/mutation.py --area charges   # one area
    python3 dev/mutation.py --survivors      # those not killed last time
    python3 dev/mutation.py --list           # the list, with the tags of each
    python3 dev/mutation.py --check          # each snippet found once and compiling

Writes .logs/mutation-report.md (the table) and .logs/mutation-results.json
(the last result of each mutation, kept across runs), the Odoo logs in
.logs/mutation/."""

import argparse
import datetime
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from mutation_list import MUTATIONS  # noqa: E402

TEMPLATE = os.environ.get("MUTATION_TEMPLATE", "account_dunning_mutation_template")
DB = os.environ.get("MUTATION_DB", "account_dunning_mutation_run")
PORT = int(os.environ.get("MUTATION_HTTP_PORT", "8990"))
TIMEOUT = int(os.environ.get("MUTATION_TIMEOUT", "600"))
LOCK = Path(tempfile.gettempdir()) / "account_dunning_mutation.lock"
FILESTORE = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share")) / "Odoo/filestore"

RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
FAILED = re.compile(r" (?:ERROR|CRITICAL) \S+ \S+: (FAIL|ERROR): (?:Subtest )?(\S+)")
STARTED = re.compile(r": Starting (\w+)\.(\w+)")
LOADED = "odoo.modules.loading: Modules loaded."
# French with its translations, as in the database of ``make test`` (its demo
# data installs it): the tests of the French names read them. English first:
# the first language loaded into a new database becomes everyone's default
# (with French alone, ten tests failed on French dates before any mutation)
FRENCH = ("--load-language=en_US,fr_FR",)


def settings():
    """The shared settings of dev/env.sh (one place for the paths)."""
    names = ["ODOO_SRC", "ODOO_VENV", "DUNNING_ADDONS", "DUNNING_TEST_ADDONS"]
    names.append("QUEUE_JOB_ADDONS_DIR")
    script = f"source {HERE / 'env.sh'}; " + "; ".join(f'echo "${name}"' for name in names)
    output = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return dict(zip(names, output.splitlines(), strict=True))


def tag_spec(tag):
    """``Class`` (of account_dunning), ``module:Class`` or ``Class.test``
    as an Odoo test tag."""
    module, _sep, rest = tag.rpartition(":")
    return f"/{module or 'account_dunning'}:{rest}"


def tag_class(tag):
    return tag.rpartition(":")[2].split(".")[0]


# ----------------------------------------------------------------------
# The copy of the work tree
# ----------------------------------------------------------------------


def snapshot(work):
    """Copy the tracked and new files of the work tree (not the ignored
    ones) into ``work/tree``, linked as ``work/addons/account_dunning``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    tree = work / "tree"
    for raw in listed:
        if not raw:
            continue
        source = REPO / os.fsdecode(raw)
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        target = tree / os.fsdecode(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    (work / "addons").mkdir()
    (work / "addons" / "account_dunning").symlink_to(tree)
    return tree


def tree_digest(tree):
    """What the template's installed addons depend on: every file of the
    copy but the tests (a change there needs no update)."""
    digest = hashlib.sha1()
    for path in sorted(tree.rglob("*")):
        if path.is_file() and "tests" not in path.relative_to(tree).parts:
            digest.update(str(path.relative_to(tree)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def find_snippet(tree, mutation):
    """The text of the mutated file, or the reason it cannot be mutated."""
    path = tree / mutation.file
    if not path.is_file():
        return None, f"{mutation.file} not found"
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation.old)
    if count != 1:
        return None, f"snippet found {count} times in {mutation.file}"
    return text, None


def check(tree):
    """Each snippet occurs once and the mutated file still compiles."""
    bad = 0
    names = set()
    for mutation in MUTATIONS:
        problem = None
        if mutation.name in names:
            problem = "duplicate name"
        names.add(mutation.name)
        text, error = find_snippet(tree, mutation)
        problem = problem or error
        if not problem:
            mutated = text.replace(mutation.old, mutation.new)
            try:
                compile(mutated, mutation.file, "exec")
            except SyntaxError as exc:
                problem = f"does not compile: {exc}"
        if problem:
            bad += 1
            print(f"{mutation.name}: {problem}")
    print(f"{len(MUTATIONS) - bad} of {len(MUTATIONS)} mutations apply")
    return bad == 0


# ----------------------------------------------------------------------
# Odoo
# ----------------------------------------------------------------------


class Odoo:
    def __init__(self, env, work, tree, logdir):
        self.env = env
        self.tree = tree
        self.logdir = logdir
        paths = [
            f"{env['ODOO_SRC']}/addons",
            f"{env['ODOO_SRC']}/odoo/addons",
            str(work / "addons"),
            str(tree),
        ]
        queue_job = Path(env["QUEUE_JOB_ADDONS_DIR"])
        if (queue_job / "queue_job" / "__manifest__.py").is_file():
            paths.append(str(queue_job))
        self.addons_path = ",".join(paths)

    def command(self, db, *args):
        return [
            "nice",
            "-n",
            "10",
            f"{self.env['ODOO_VENV']}/bin/python",
            f"{self.env['ODOO_SRC']}/odoo-bin",
            f"--addons-path={self.addons_path}",
            "-d",
            db,
            "--stop-after-init",
            "--max-cron-threads=0",
            "--without-demo=all",
            f"--http-port={PORT}",
            *args,
        ]

    def run(self, db, log, *args, timeout=TIMEOUT):
        """Run Odoo with ``args``; its return code (None on a timeout)."""
        environ = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        with open(log, "w", encoding="utf-8") as out:
            process = subprocess.Popen(
                self.command(db, *args),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=environ,
                start_new_session=True,
            )
            try:
                return process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                return None
            except BaseException:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()
                raise

    def prepare_template(self, digest):
        """The template with the addons installed, updated to the copy."""
        digest = f"{digest} {' '.join(FRENCH)}"
        exists = psql(f"SELECT 1 FROM pg_database WHERE datname='{TEMPLATE}'") == "1"
        stamp = Path.home() / ".cache" / "account_dunning" / f"{TEMPLATE}.digest"
        if exists and stamp.is_file() and stamp.read_text() == digest:
            print(f"[mutation] template {TEMPLATE} is up to date")
            return
        if exists and not (stamp.is_file() and stamp.read_text().endswith(" ".join(FRENCH))):
            # its languages are set when it is made: made again
            print(f"[mutation] dropping the template {TEMPLATE}: made with other languages")
            drop(TEMPLATE)
            exists = False
        log = self.logdir / "template.log"
        addons = self.env["DUNNING_ADDONS"]
        if exists:
            print(f"[mutation] updating the template {TEMPLATE} (log: {log})")
            rc = self.run(TEMPLATE, log, "-u", addons, *FRENCH, "--log-level=warn")
        else:
            print(f"[mutation] building the template {TEMPLATE}, once (log: {log})")
            rc = self.run(
                TEMPLATE,
                log,
                "-i",
                f"{addons},{self.env['DUNNING_TEST_ADDONS']}",
                *FRENCH,
                "--log-level=warn",
            )
        if rc != 0:
            stamp.unlink(missing_ok=True)
            sys.exit(f"[mutation] the template failed: see {log}")
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest)

    def run_tests(self, tags, log, timeout=TIMEOUT):
        """Run the tests of ``tags`` in a fresh copy of the template; the
        outcome read from the log."""
        drop(DB)
        subprocess.run(["createdb", "-T", TEMPLATE, DB], check=True)
        shutil.rmtree(FILESTORE / DB, ignore_errors=True)
        if (FILESTORE / TEMPLATE).is_dir():
            shutil.copytree(FILESTORE / TEMPLATE, FILESTORE / DB)
        start = time.time()
        try:
            rc = self.run(
                DB,
                log,
                "--test-enable",
                "--test-tags",
                ",".join(tag_spec(tag) for tag in tags),
                "--log-level=test",
                timeout=timeout,
            )
        finally:
            drop(DB)
            shutil.rmtree(FILESTORE / DB, ignore_errors=True)
        outcome = read_log(log)
        outcome["rc"] = rc
        outcome["seconds"] = round(time.time() - start)
        outcome["timeout"] = rc is None
        return outcome


def psql(query):
    return subprocess.run(
        ["psql", "-d", "postgres", "-tAc", query], capture_output=True, text=True
    ).stdout.strip()


def drop(db):
    subprocess.run(["dropdb", "--if-exists", db], capture_output=True)


def read_log(log):
    """What a test run's log says: the tests that failed or errored, the
    classes that ran, whether the module loaded."""
    failed, classes = set(), set()
    loaded = False
    total = None
    with open(log, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if LOADED in line:
                loaded = True
            match = FAILED.search(line)
            if match:
                failed.add(match.group(2))
            match = STARTED.search(line)
            if match:
                classes.add(match.group(1))
            match = RESULT.search(line)
            if match:
                total = (total or 0) + int(match.group(3))
    return {"failed": sorted(failed), "classes": sorted(classes), "loaded": loaded, "total": total}


# ----------------------------------------------------------------------
# Results and report
# ----------------------------------------------------------------------


def judge(mutation, outcome, baseline_failed):
    """killed / survived / invalid / timeout, and the tests that killed it."""
    killers = [test for test in outcome["failed"] if test not in baseline_failed]
    if outcome["timeout"]:
        return "timeout", killers
    if not outcome["loaded"] or not outcome["total"]:
        return "invalid", killers
    return ("killed" if killers else "survived"), killers


def load_results(path):
    if path.is_file():
        return json.loads(path.read_text())
    return {"baseline": {}, "results": {}}


def write_report(results, path_md, tree_note):
    by_status = {}
    rows = []
    for mutation in MUTATIONS:
        result = results["results"].get(mutation.name)
        status = result["status"] if result else "not run"
        by_status[status] = by_status.get(status, 0) + 1
        killers = result.get("killed_by", []) if result else []
        shown = ", ".join(killers[:3]) + (f" (+{len(killers) - 3})" if len(killers) > 3 else "")
        if status in ("survived", "invalid", "stale", "timeout") and result:
            shown = result.get("note") or shown or "-"
        rows.append(
            f"| {mutation.name} | {mutation.area} | {mutation.rule} | {status} | {shown or '-'} |"
        )
    summary = ", ".join(f"{count} {status}" for status, count in sorted(by_status.items()))
    areas = {}
    for mutation in MUTATIONS:
        result = results["results"].get(mutation.name) or {}
        killed, total = areas.get(mutation.area, (0, 0))
        areas[mutation.area] = (killed + (result.get("status") == "killed"), total + 1)
    baseline = results.get("baseline", {})
    lines = [
        "# Mutation check",
        "",
        f"{len(MUTATIONS)} mutations of dev/mutation_list.py: {summary}.",
        "",
        "Killed per area: "
        + ", ".join(f"{area} {killed} of {total}" for area, (killed, total) in areas.items())
        + ".",
        "",
        f"Last run: {tree_note}.",
    ]
    if baseline.get("failed"):
        lines += [
            "",
            "Tests failing on the unmutated code (left out of the verdicts): "
            + ", ".join(baseline["failed"]),
        ]
    lines += [
        "",
        "| Mutation | Area | Rule broken | Result | Killed by |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]
    path_md.write_text("\n".join(lines), encoding="utf-8")
    return summary


def print_table(names, results):
    width = max(len(name) for name in names) if names else 10
    for name in names:
        result = results["results"].get(name, {})
        killers = result.get("killed_by", [])
        print(
            f"{name:<{width}}  {result.get('status', 'not run'):<8}  "
            f"{result.get('seconds', 0):>4}s  {', '.join(killers[:2]) or result.get('note', '')}"
        )


# ----------------------------------------------------------------------


def rejudge(results, results_path, report_path):
    """Read the logs of the last results again (after a change of how a
    log is read) and rewrite the report."""
    baseline_failed = set(results.get("baseline", {}).get("failed", []))
    mutations = {mutation.name: mutation for mutation in MUTATIONS}
    for name, entry in results["results"].items():
        log = REPO / entry.get("log", "-")
        if name not in mutations or not log.is_file():
            continue
        outcome = read_log(log)
        outcome["timeout"] = entry.get("status") == "timeout"
        entry["status"], entry["killed_by"] = judge(mutations[name], outcome, baseline_failed)
        if entry["status"] == "killed":
            entry.pop("note", None)
    results_path.write_text(json.dumps(results, indent=1, sort_keys=True))
    print(write_report(results, report_path, results.get("baseline", {}).get("date", "-")))
    return 0


def select(args, results):
    chosen = MUTATIONS
    if args.names:
        known = {mutation.name for mutation in MUTATIONS}
        unknown = set(args.names) - known
        if unknown:
            sys.exit(f"unknown mutations: {', '.join(sorted(unknown))} (see --list)")
        chosen = [mutation for mutation in chosen if mutation.name in args.names]
    if args.area:
        chosen = [mutation for mutation in chosen if mutation.area == args.area]
    if args.survivors:
        chosen = [
            mutation
            for mutation in chosen
            if results["results"].get(mutation.name, {}).get("status") != "killed"
        ]
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutations to run (default: all)")
    parser.add_argument("--area", help="only the mutations of this area")
    parser.add_argument("--survivors", action="store_true", help="only those not killed last time")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--check", action="store_true", help="check the snippets and exit")
    parser.add_argument("--tags", help="run these tags (comma separated) instead of each one's")
    parser.add_argument("--extra-tags", help="run these tags (comma separated) too")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    parser.add_argument("--keep", action="store_true", help="keep the copy of the tree")
    parser.add_argument(
        "--rejudge", action="store_true", help="read the last logs again and rewrite the report"
    )
    args = parser.parse_args()
    # ``--list | head`` ends quietly
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    if args.list:
        for mutation in MUTATIONS:
            print(f"{mutation.name:<34} {mutation.area:<11} {mutation.rule}")
            print(f"{'':<34} {mutation.file}  tags: {', '.join(mutation.tags)}")
        return 0

    logroot = REPO / ".logs"
    logdir = logroot / "mutation"
    results_path = logroot / "mutation-results.json"
    report_path = logroot / "mutation-report.md"
    if args.check:
        return 0 if check(REPO) else 1
    logdir.mkdir(parents=True, exist_ok=True)
    results = load_results(results_path)
    if args.rejudge:
        return rejudge(results, results_path, report_path)
    chosen = select(args, results)
    if not chosen:
        print("[mutation] nothing to run")
        return 0

    lock = open(LOCK, "w")  # held for the whole run
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"[mutation] another mutation run holds {LOCK}")

    env = settings()
    work = Path(tempfile.mkdtemp(prefix="account_dunning_mutation."))
    started = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    try:
        tree = snapshot(work)
        odoo = Odoo(env, work, tree, logdir)
        odoo.prepare_template(tree_digest(tree))

        def tags_of(mutation):
            tags = args.tags.split(",") if args.tags else list(mutation.tags)
            if args.extra_tags:
                tags += [tag for tag in args.extra_tags.split(",") if tag not in tags]
            return tags

        baseline_failed = set(results.get("baseline", {}).get("failed", []))
        if not args.no_baseline:
            tags = sorted({tag for mutation in chosen for tag in tags_of(mutation)})
            print(f"[mutation] baseline: the {len(tags)} tags on the code as it is")
            outcome = odoo.run_tests(tags, logdir / "baseline.log", timeout=4 * TIMEOUT)
            if not outcome["loaded"] or not outcome["total"]:
                sys.exit(f"[mutation] the baseline did not run: see {logdir / 'baseline.log'}")
            missing = sorted({tag_class(tag) for tag in tags} - set(outcome["classes"]))
            if missing:
                print(f"[mutation] warning: no test ran for {', '.join(missing)}")
            baseline_failed = set(outcome["failed"])
            results["baseline"] = {
                "failed": sorted(baseline_failed),
                "total": outcome["total"],
                "seconds": outcome["seconds"],
                "date": started,
            }
            print(
                f"[mutation] baseline: {outcome['total']} tests in {outcome['seconds']}s, "
                f"{len(baseline_failed)} failing: {', '.join(sorted(baseline_failed)) or 'none'}"
            )

        for index, mutation in enumerate(chosen, 1):
            text, problem = find_snippet(tree, mutation)
            entry = {"date": started, "tags": tags_of(mutation)}
            if problem:
                entry.update(status="stale", note=problem, seconds=0)
            else:
                path = tree / mutation.file
                path.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
                try:
                    log = logdir / f"{mutation.name}.log"
                    outcome = odoo.run_tests(entry["tags"], log)
                finally:
                    path.write_text(text, encoding="utf-8")
                status, killers = judge(mutation, outcome, baseline_failed)
                entry.update(
                    status=status,
                    killed_by=killers,
                    tests=outcome["total"],
                    seconds=outcome["seconds"],
                    log=str(log.relative_to(REPO)),
                )
                if status == "invalid":
                    entry["note"] = "the module did not load or no test ran: see the log"
                elif status == "survived":
                    entry["note"] = f"{outcome['total']} tests of {', '.join(entry['tags'])} pass"
            results["results"][mutation.name] = entry
            results_path.write_text(json.dumps(results, indent=1, sort_keys=True))
            write_report(results, report_path, f"{started}")
            killers = entry.get("killed_by") or []
            print(
                f"[mutation] {index}/{len(chosen)} {mutation.name}: {entry['status']} "
                f"({entry['seconds']}s) {', '.join(killers[:2])}",
                flush=True,
            )
    finally:
        if args.keep:
            print(f"[mutation] the copy is kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        drop(DB)

    summary = write_report(results, report_path, started)
    print()
    print_table([mutation.name for mutation in chosen], results)
    print(f"\n[mutation] {summary} (report: {report_path.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
