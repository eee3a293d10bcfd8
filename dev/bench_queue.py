# Runs inside `odoo-bin shell` (see the `queue` step of dev/bench.sh), where
# `env` is given: the daily job at scale 1 on OCA's job queue
# (account_dunning_queue), run by a real Odoo server (--workers, its job
# runner) that dev/bench.sh starts on a copy of the book.
# BENCH_QUEUE_STEP:
#   prepare  on the copy with queue_job installed, before its copies are
#            made: checks the bridge came by itself (auto_install), makes
#            every level plain emails (as the job_plain step: no letter, no
#            PDF attached), counts what a dry run of the daily job would send
#            and writes it to BENCH_QUEUE_STATE (JSON)
#   trigger  while the server runs: the daily job as the scheduled action
#            runs it (it plans the run and enqueues its batches), committed,
#            then waits until every run of the day is done (polling the
#            database), at most BENCH_QUEUE_TIMEOUT seconds; adds its times
#            to BENCH_QUEUE_STATE
#   check    once the server is stopped: the reminders of the day per
#            customer and currency (none twice), the queue jobs (retries,
#            failures, time spent) and appends the row of BENCH_CAPACITY to
#            BENCH_RESULTS, with its ratio to the last capacity-1 row of the
#            file when BENCH_CAPACITY is above 1.
# ruff: noqa: F821
import json
import os
import time
from collections import Counter

STEP = os.environ["BENCH_QUEUE_STEP"]
STATE = os.environ["BENCH_QUEUE_STATE"]
POLL = 0.2


def log(message):
    print(f"[bench queue] {message}", flush=True)


def load_state():
    if not os.path.exists(STATE):
        return {}
    with open(STATE, encoding="utf-8") as state:
        text = state.read()
    return json.loads(text) if text.strip() else {}


def save_state(**values):
    state = load_state() | values
    with open(STATE, "w", encoding="utf-8") as out:
        json.dump(state, out)


def prepare():
    bridge = env["ir.module.module"].search([("name", "=", "account_dunning_queue")])
    if bridge.state != "installed":
        raise SystemExit(f"account_dunning_queue is {bridge.state}, not installed by auto_install")
    # plain emails, as the job_plain step
    env["account.dunning.level"].search([]).write(
        {"send_letter": False, "attach_letter": False, "attach_invoices": False}
    )
    env.cr.commit()
    planned = env["account.dunning"]._cron_process_reminders(dry_run=True)
    env.cr.rollback()
    customers = {(p["partner_id"], p["currency_id"]) for p in planned}
    save_state(planned=len(planned), planned_customers=len({p[0] for p in customers}))
    log(f"account_dunning_queue installed; a dry run plans {len(planned)} reminders")


def runs_state(since):
    """(runs of the day planned since ``since``, of them done, failed
    queue jobs) as the database has them now (raw SQL: nothing cached)."""
    env.cr.rollback()
    env.cr.execute(
        "SELECT count(*), count(*) FILTER (WHERE state = 'done')"
        " FROM account_dunning_queue_run WHERE create_date >= to_timestamp(%s) AT TIME ZONE 'UTC'",
        [since - 1],
    )
    runs, done = env.cr.fetchone()
    env.cr.execute("SELECT count(*) FROM queue_job WHERE state = 'failed'")
    return runs, done, env.cr.fetchone()[0]


def trigger():
    timeout = float(os.environ.get("BENCH_QUEUE_TIMEOUT") or 900)
    env.invalidate_all()
    env.cr.rollback()  # the run's create_date is its transaction's start
    start = time.time()
    # what the scheduled action runs: it plans the day's run and enqueues
    # one queue job per batch of customers
    env["account.dunning"]._cron_process_reminders()
    env.cr.commit()
    planned = time.time()
    log(f"daily job planned in {planned - start:.2f} s, waiting for its batches")
    runs = done = failed = 0
    while time.time() - start < timeout:
        runs, done, failed = runs_state(start)
        if failed or (runs and done == runs):
            break
        time.sleep(POLL)
    end = time.time()
    finished = bool(runs) and done == runs and not failed
    save_state(
        start=start,
        planning_seconds=planned - start,
        seconds=end - start,
        finished=finished,
        failed_jobs=failed,
    )
    if not runs:
        raise SystemExit("the daily job planned no run on the job queue")
    if failed:
        raise SystemExit(f"{failed} queue jobs failed (see Job Queue > Jobs)")
    if not finished:
        raise SystemExit(f"the run was not done after {timeout:.0f} s")
    log(f"run done {end - start:.2f} s after the trigger")


def check():
    state = load_state()
    capacity = int(os.environ["BENCH_CAPACITY"])
    company_days = {
        company.id: env["account.dunning.engine"]._get_today(company)
        for company in env["res.company"].search([])
    }
    reminders = env["account.dunning"].search_read(
        [("date", "in", sorted(set(company_days.values())))],
        ["company_id", "partner_id", "currency_id", "date", "state"],
    )
    today = [r for r in reminders if r["date"] == company_days[r["company_id"][0]]]
    per_key = Counter((r["company_id"][0], r["partner_id"][0], r["currency_id"][0]) for r in today)
    twice = sorted(key for key, count in per_key.items() if count > 1)
    states = Counter(r["state"] for r in today)
    customers = {key[:2] for key in per_key}
    Job = env["queue.job"].sudo()
    jobs = Job.search_read([], ["method_name", "state", "retry", "exec_time", "worker_pid"])
    batches = [job for job in jobs if job["method_name"] == "_run_batch"]
    tallies = [job for job in jobs if job["method_name"] == "_tally_batch"]
    runs = env["account.dunning.queue.run"].sudo().search([])
    label = f"daily job on queue_job: capacity {capacity}"
    row = {
        "scale": 1.0,
        "step": label,
        "capacity": capacity,
        "seconds": state["seconds"],
        "planning_seconds": state["planning_seconds"],
        "reminders": len(today),
        "planned": state.get("planned"),
        "sent": states.get("sent", 0),
        "failed": states.get("failed", 0),
        "customers": len(customers),
        "twice": len(twice),
        "batches": len(batches),
        "batch_seconds": sum(job["exec_time"] or 0.0 for job in batches),
        "tally_seconds": sum(job["exec_time"] or 0.0 for job in tallies),
        "retries": sum(max(job["retry"] - 1, 0) for job in jobs),
        "jobs_not_done": sum(1 for job in jobs if job["state"] != "done"),
        "workers": len({job["worker_pid"] for job in batches if job["worker_pid"]}),
        "run_reminders": sum(len(run.reminder_ids) for run in runs),
        "runs_done": sum(1 for run in runs if run.state == "done"),
        "load": float(os.environ.get("BENCH_LOAD") or 0.0),
    }
    results = os.environ["BENCH_RESULTS"]
    if capacity > 1:
        with open(results, encoding="utf-8") as lines:
            ones = [json.loads(line) for line in lines if line.strip()]
        ones = [one for one in ones if one.get("capacity") == 1]
        if ones:
            row["ratio"] = ones[-1]["seconds"] / row["seconds"]
    with open(results, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
    log(json.dumps(row))
    if row["planned"] is not None and row["reminders"] != row["planned"]:
        log(f"{row['reminders']} reminders of the day, {row['planned']} planned by the dry run")
    if twice:
        log(f"customers reminded twice on their day (company, customer, currency): {twice[:20]}")
    if twice or row["jobs_not_done"] or row["reminders"] != row["run_reminders"]:
        raise SystemExit("the run on the job queue is not what it should be (see above)")


{"prepare": prepare, "trigger": trigger, "check": check}[STEP]()
