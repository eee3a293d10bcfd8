"""The screenshots of static/description/, in English and in French.

    ~/.venvs/account_dunning-tools/bin/python dev/description_screenshots.py [BASE_URL]

BASE_URL (else $DEMO_URL, else http://127.0.0.1:8069) is a running demo
database; logs in as admin/admin ($DEMO_LOGIN / $DEMO_PASSWORD to change it).
Saves, at 1500x900 (the viewport, not the whole page), for each language:

    worklist, workbench (select step), proposals (prepare step),
    customer_tab, summary (done step), invoice_tab, plan,
    letters_to_post, reminder, customer_accounts, overview (Collection
    Overview), expected_cash, preview (a proposal's email, in the workbench),
    quotations_to_remind, quotation_remind (the dialog), quotation_reminder
    (the last three need the sales bridge), litigation (a customer in
    litigation: its tab), claim_summary (the first page of the claim
    summary in that customer's legal file, as a picture, by pdftoppm)

as static/description/<screen>_<en|fr>.png ($OUT_DIR to save elsewhere;
$SCREENS, e.g. "plan,reminder", and $LANGS, e.g. "fr", to take fewer).

It changes the demo as a user would: for the summary, the customer of the
first invoice to remind gets a reminder by letter (one customer per
language). The user's language is set back at the end. A screen that fails
is reported and the others are still taken; the exit code says whether all
were."""

import io
import os
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile

from playwright.sync_api import sync_playwright
from screenshot import open_session, rpc

BASE = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DEMO_URL", "http://127.0.0.1:8069")
BASE = BASE.rstrip("/")
LOGIN = os.environ.get("DEMO_LOGIN", "admin")
PASSWORD = os.environ.get("DEMO_PASSWORD", "admin")
OUT_DIR = os.environ.get(
    "OUT_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "static", "description"),
)
LANGS = {"en": "en_US", "fr": "fr_FR"}
SCREENS = [
    "worklist",
    "workbench",
    "proposals",
    "customer_tab",
    "summary",
    "invoice_tab",
    "plan",
    "letters_to_post",
    "reminder",
    "customer_accounts",
    "overview",
    "expected_cash",
    "preview",
    "quotations_to_remind",
    "quotation_remind",
    "quotation_reminder",
    "litigation",
    "claim_summary",
]
ACTION = "odoo/action-account_dunning."
# what shows once a view has loaded
LOADED = ", ".join(f".o_action_manager .o_{view}_view" for view in ("list", "form", "kanban"))


def out_dir(screen):
    """Where ``screen`` is saved: the sales bridge's screens in its own
    static/description, unless $OUT_DIR says otherwise."""
    if screen.startswith("quotation") and "OUT_DIR" not in os.environ:
        path = os.path.join(OUT_DIR, "..", "..", "account_dunning_sale", "static", "description")
        os.makedirs(path, exist_ok=True)
        return path
    return OUT_DIR


class Shooter:
    def __init__(self, page):
        self.page = page
        self.partner_id = None  # the customer reminded for the summary
        self.target = None  # where the screen being taken is saved

    # -- helpers -------------------------------------------------------

    def rpc(self, model, method, args, kwargs=None):
        return rpc(self.page, model, method, args, kwargs)

    def search(self, model, domain, fields=("id",), order=None, limit=1):
        return self.rpc(
            model, "search_read", [domain], {"fields": list(fields), "order": order, "limit": limit}
        )

    def settle(self, selector=LOADED, pause=1200):
        """Wait for ``selector``, the requests, then the animations."""
        self.page.wait_for_selector(selector, timeout=15000)
        # the web client keeps its bus connection open: no "network idle";
        # it blocks the UI while a button's call runs
        self.page.wait_for_selector(".o_blockUI", state="detached", timeout=15000)
        self.page.wait_for_timeout(pause)

    def goto(self, path, selector=LOADED):
        self.page.goto(f"{BASE}/{path}")
        self.settle(selector)

    def click(self, selector, then=LOADED):
        self.page.locator(selector).first.click(timeout=15000)
        self.settle(then)

    def open_tab(self, name):
        """Open a tab of the form and scroll it to the top of the screen."""
        self.click(f'.o_notebook a.nav-link[name="{name}"]', ".o_notebook .tab-pane.active")
        self.page.locator(".o_notebook").first.evaluate(
            """(notebook) => {
                notebook.scrollIntoView({block: 'start'});
                // and back a little: the record's name and fields above it
                let box = notebook.parentElement;
                while (box && box.scrollHeight <= box.clientHeight) {
                    box = box.parentElement;
                }
                if (box) {
                    box.scrollTop -= 220;
                }
            }"""
        )
        self.page.wait_for_timeout(300)

    def menu(self, section_xmlid, item_xmlid):
        """Open a menu item the way a user does, from the app's top menu."""
        self.page.locator(f'.o_main_navbar button[data-menu-xmlid="{section_xmlid}"]').click()
        self.click(f'.o-dropdown--menu a[data-menu-xmlid="{item_xmlid}"]')

    def set_lang(self, uid, lang):
        self.rpc("res.users", "write", [[uid], {"lang": lang}])

    # -- the screens, in the order they are taken ----------------------

    def shot_worklist(self):
        self.goto(ACTION + "account_move_dunning_action")

    def shot_workbench(self):
        self.goto(ACTION + "account_move_dunning_action")
        self.menu("account.menu_finance_receivables", "account_dunning.account_dunning_wizard_menu")
        self.settle('.o_field_widget[name="line_ids"], .o_form_view .alert-warning')

    def shot_proposals(self):
        self.shot_workbench()
        self.click('button[name="action_prepare"]', '.o_field_widget[name="proposal_ids"]')

    def _partner_to_remind(self):
        """A customer with an invoice to remind now, not yet reminded today."""
        moves = self.search(
            "account.move",
            [("dunning_to_remind", "=", True), ("dunning_blocked", "=", False)],
            ["commercial_partner_id"],
            order="dunning_date_due, id",
            limit=20,
        )
        if not moves:
            raise RuntimeError("no invoice to remind in this database")
        return moves[0]["commercial_partner_id"][0]

    def shot_customer_tab(self):
        self.partner_id = self._partner_to_remind()
        self.goto(f"odoo/action-account.res_partner_action_customer/{self.partner_id}")
        self.open_tab("dunning")

    def shot_summary(self):
        if not self.partner_id:
            self.shot_customer_tab()
        self.click(
            'button[name="action_dunning_remind_letter"]', '.o_field_widget[name="proposal_ids"]'
        )
        self.click('button[name="action_create"]', '.o_field_widget[name="summary"]')

    def shot_invoice_tab(self):
        # an invoice reminded before and due for its next level, else any
        reminded = [("dunning_level_id", "!=", False), ("dunning_date_due", "!=", False)]
        moves = (
            self.search("account.move", [*reminded, ("dunning_to_remind", "=", True)])
            or self.search("account.move", reminded)
            or self.search("account.move", [("dunning_date_due", "!=", False)])
        )
        if not moves:
            raise RuntimeError("no open customer invoice in this database")
        self.goto(f"{ACTION}account_move_dunning_action/{moves[0]['id']}")
        self.open_tab("dunning")

    def shot_plan(self):
        plans = self.search("account.dunning.plan", [("is_default", "=", True)]) or self.search(
            "account.dunning.plan", []
        )
        if not plans:
            raise RuntimeError("no reminder plan in this database")
        self.goto(f"{ACTION}account_dunning_plan_action/{plans[0]['id']}")

    def shot_customer_accounts(self):
        self.goto(ACTION + "account_dunning_customer_action")
        self.settle(".o_dunning_customer_summary")

    def shot_overview(self):
        self.goto(ACTION + "account_dunning_overview_action")

    def shot_expected_cash(self):
        self.goto(ACTION + "account_dunning_cash_forecast_action", ".o_graph_view canvas")

    def shot_preview(self):
        self.shot_proposals()
        self.click(
            '.o_field_widget[name="proposal_ids"] button[name="action_preview"]',
            ".modal .o_notebook",
        )

    def shot_letters_to_post(self):
        self.goto(ACTION + "account_dunning_action_to_post")

    def shot_reminder(self):
        reminders = self.search(
            "account.dunning",
            [("state", "=", "sent"), ("send_letter", "=", True)],
            order="id desc",
        ) or self.search("account.dunning", [("state", "=", "sent")], order="id desc")
        if not reminders:
            raise RuntimeError("no reminder sent in this database")
        self.goto(f"{ACTION}account_dunning_action/{reminders[0]['id']}")

    def shot_quotations_to_remind(self):
        # from the Sales app's menu, as a user gets there
        self.goto("odoo/action-account_dunning_sale.action_sale_order_dunning")
        self.page.locator(".o_navbar_apps_menu button").first.click()
        self.click('.o-dropdown--menu a[data-menu-xmlid="sale.sale_menu_root"]')
        self.menu("sale.sale_order_menu", "account_dunning_sale.menu_sale_order_dunning")

    def shot_quotation_remind(self):
        self.shot_quotations_to_remind()
        self.page.locator(".o_list_view thead .o_list_record_selector input").first.check()
        self.page.wait_for_timeout(500)
        self.click(
            '.o_control_panel button[name="action_dunning_quotation_remind"]',
            '.modal .o_field_widget[name="summary"]',
        )

    def shot_quotation_reminder(self):
        reminders = self.search(
            "account.dunning.quotation", [("state", "=", "sent")], order="id desc"
        )
        if not reminders:
            raise RuntimeError("no quotation reminder in this database")
        self.goto(
            f"odoo/action-account_dunning_sale.action_account_dunning_quotation/{reminders[0]['id']}"
        )

    def _litigation(self):
        """The open litigation of the demo that has a legal file."""
        litigations = self.search(
            "account.dunning.litigation",
            [("state", "=", "open"), ("legal_file_id", "!=", False)],
            ["partner_id", "legal_file_id"],
            order="id",
        )
        if not litigations:
            raise RuntimeError("no customer in litigation with a legal file in this database")
        return litigations[0]

    def shot_litigation(self):
        litigation = self._litigation()
        self.goto(f"odoo/action-account.res_partner_action_customer/{litigation['partner_id'][0]}")
        self.open_tab("dunning")

    def shot_claim_summary(self):
        """The claim summary's first page, drawn from the PDF of the legal
        file as it is (pdftoppm), not a screenshot: saved here."""
        litigation = self._litigation()
        url = f"{BASE}/web/content/{litigation['legal_file_id'][0]}?download=true"
        response = self.page.request.get(url)
        if not response.ok:
            raise RuntimeError(f"the legal file could not be downloaded: {response.status}")
        with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
            names = [name for name in archive.namelist() if name.startswith("02 ")]
            if not names:
                raise RuntimeError(f"no claim summary in {archive.namelist()}")
            pdf = archive.read(names[0])
        with tempfile.TemporaryDirectory() as folder:
            source = os.path.join(folder, "claim.pdf")
            with open(source, "wb") as file:
                file.write(pdf)
            stem = os.path.join(folder, "page")
            subprocess.run(
                ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", source, stem],
                check=True,
            )
            os.replace(stem + ".png", self.target)
        return "saved"


def main():
    screens = [s for s in os.environ.get("SCREENS", ",".join(SCREENS)).split(",") if s]
    langs = [code for code in os.environ.get("LANGS", "en,fr").split(",") if code]
    unknown = set(screens) - set(SCREENS) | set(langs) - set(LANGS)
    if unknown:
        sys.exit(f"unknown screen or language: {', '.join(sorted(unknown))}")
    os.makedirs(OUT_DIR, exist_ok=True)
    failed, saved = [], []
    with sync_playwright() as pw:
        browser, page = open_session(pw, BASE, LOGIN, PASSWORD)
        shooter = Shooter(page)
        info = page.evaluate(
            """async () => {
                const response = await fetch('/web/session/get_session_info', {
                    method: 'POST',
                    headers: {'Content-Type': 'application/json'},
                    body: JSON.stringify({jsonrpc: '2.0', method: 'call', params: {}}),
                });
                return (await response.json()).result;
            }"""
        )
        uid = info["uid"]
        initial_lang = info["user_context"].get("lang") or "en_US"
        try:
            for code in langs:
                shooter.set_lang(uid, LANGS[code])
                shooter.partner_id = None
                for screen in screens:
                    target = os.path.join(out_dir(screen), f"{screen}_{code}.png")
                    started = time.monotonic()
                    try:
                        shooter.target = target
                        if getattr(shooter, f"shot_{screen}")() != "saved":
                            page.screenshot(path=target, full_page=False)
                    except Exception as error:  # report it and take the next one
                        failed.append(f"{screen}_{code}")
                        sys.stdout.write(f"FAILED {screen}_{code}: {error}\n")
                        if os.environ.get("DEBUG"):
                            traceback.print_exc()
                        continue
                    saved.append(target)
                    sys.stdout.write(
                        f"{os.path.relpath(target)} ({os.path.getsize(target) // 1024} kB, "
                        f"{time.monotonic() - started:.1f} s)\n"
                    )
        finally:
            try:
                shooter.set_lang(uid, initial_lang)
            except Exception as error:
                sys.stdout.write(f"could not set the language back to {initial_lang}: {error}\n")
            browser.close()
    sys.stdout.write(f"{len(saved)} saved, {len(failed)} failed{': ' if failed else ''}")
    sys.stdout.write(", ".join(failed) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
