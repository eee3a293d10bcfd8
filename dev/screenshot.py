"""Screenshots of the running demo, as a user sees it (headless Chromium).

    python dev/screenshot.py OUT_DIR URL_PATH [URL_PATH ...]

Logs in as admin/admin on http://127.0.0.1:8069 (DEMO_URL to change it),
then saves one PNG per path, e.g. "odoo/action-account_dunning.account_move_dunning_action".
A path may end with "|lang=fr_FR" to switch the admin's language first, or
with "|click=TEXT" to click a tab or button with that text before the shot,
or with "|find=TEXT" to scroll to that text."""

import os
import sys

from playwright.sync_api import sync_playwright

BASE = os.environ.get("DEMO_URL", "http://127.0.0.1:8069")


def open_session(pw, base=BASE, login="admin", password="admin"):
    """Debian's Chromium at 1500 x 900, logged in to Odoo at ``base``.
    Returns (browser, page)."""
    browser = pw.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    page = browser.new_page(viewport={"width": 1500, "height": 900})
    page.goto(f"{base}/web/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".o_main_navbar", timeout=60000)
    return browser, page


def rpc(page, model, method, args, kwargs=None):
    """Call ``model.method(*args, **kwargs)`` over JSON-RPC in the logged-in
    ``page``'s session, as the web client does; its result, or RuntimeError
    with Odoo's message."""
    result = page.evaluate(
        """async ([model, method, args, kwargs]) => {
            const response = await fetch('/web/dataset/call_kw', {
                method: 'POST',
                headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({jsonrpc: '2.0', method: 'call', params: {
                    model, method, args, kwargs}}),
            });
            return await response.json();
        }""",
        [model, method, args, kwargs or {}],
    )
    if "error" in result:
        raise RuntimeError(result["error"].get("data", {}).get("message") or result["error"])
    return result["result"]


def main(out_dir, paths):
    os.makedirs(out_dir, exist_ok=True)
    with sync_playwright() as pw:
        browser, page = open_session(pw)
        for n, path in enumerate(paths, 1):
            path, _sep, option = path.partition("|")
            if option.startswith("lang="):
                page.evaluate(
                    """async (lang) => {
                        await fetch('/web/dataset/call_kw', {method: 'POST',
                          headers: {'Content-Type': 'application/json'},
                          body: JSON.stringify({jsonrpc: '2.0', method: 'call', params: {
                            model: 'res.users', method: 'write',
                            args: [[2], {lang}], kwargs: {}}})});
                    }""",
                    option[5:],
                )
            page.goto(f"{BASE}/{path}")
            page.wait_for_selector(".o_action_manager .o_content, .o_action_manager .o_form_view")
            page.wait_for_timeout(2000)
            if option.startswith("click="):
                page.get_by_text(option[6:], exact=True).first.click()
                page.wait_for_timeout(1500)
            elif option.startswith("find="):
                page.get_by_text(option[5:], exact=True).first.scroll_into_view_if_needed()
                page.wait_for_timeout(500)
            target = os.path.join(out_dir, f"{n:02d}.png")
            page.screenshot(path=target, full_page=False)
            sys.stdout.write(f"{target}: {path}\n")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
