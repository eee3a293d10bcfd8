"""The pictures of account_dunning_portal/static/description/: the customer
page of the demo's reminder that its customer answered (Librairie des
Quais), as the customer sees it, without login.

    ~/.venvs/account_dunning-tools/bin/python dev/portal_screenshots.py [BASE_URL]

BASE_URL (else $DEMO_URL, else http://127.0.0.1:8069) is a running demo
database (`make demo`); admin/admin finds the reminder and prints its
letter. At 1,400 px wide, whole pages, saved as:

    portal_page_en.png, portal_page_fr.png  the page in English and in French
    portal_pay.png                          Pay: the payment form
    portal_email_button.png                 the reminder's email with its button
    portal_letter_qr.png                    the letter's QR code and short link

and, for a look only, in $OUT_DIR/extra (default /tmp/portal_screenshots):
the promise and dispute forms, the "link not valid" page. $OUT_DIR saves
everything elsewhere. The PNGs are made smaller with pngquant when it is
installed. Needs pdftoppm (poppler-utils) for the letter."""

import os
import shutil
import subprocess
import sys
import tempfile

from playwright.sync_api import sync_playwright
from screenshot import open_session, rpc

BASE = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DEMO_URL", "http://127.0.0.1:8069")
BASE = BASE.rstrip("/")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.environ.get(
    "OUT_DIR", os.path.join(HERE, "..", "account_dunning_portal", "static", "description")
)
EXTRA_DIR = os.path.join(os.environ.get("OUT_DIR", "/tmp/portal_screenshots"), "extra")
WIDTH = 1400


def small(path):
    """The PNG in 256 colours, when pngquant is there."""
    if shutil.which("pngquant"):
        subprocess.run(
            [
                "pngquant",
                "--force",
                "--skip-if-larger",
                "--ext",
                ".png",
                "--quality",
                "70-95",
                path,
            ],
            check=False,
        )
    sys.stdout.write(f"{path}: {os.path.getsize(path) // 1024} KB\n")


def shot(page, name, extra=False, full_page=True):
    path = os.path.join(EXTRA_DIR if extra else OUT_DIR, f"{name}.png")
    page.wait_for_timeout(600)
    page.screenshot(path=path, full_page=full_page)
    small(path)
    return path


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    os.makedirs(EXTRA_DIR, exist_ok=True)
    with sync_playwright() as pw:
        browser, admin = open_session(pw, base=BASE)
        reminder = rpc(
            admin,
            "account.dunning",
            "search_read",
            [[("portal_last_seen", "!=", False), ("state", "=", "sent")]],
            {"fields": ["access_token", "mail_id", "partner_id"], "order": "id", "limit": 1},
        )[0]
        url = f"{BASE}/my/reminders/{reminder['id']}?access_token={reminder['access_token']}"

        # the email as the customer reads it: its body alone, in a page
        mail = rpc(admin, "mail.mail", "read", [[reminder["mail_id"][0]], ["body_html"]])[0]
        admin.set_viewport_size({"width": WIDTH, "height": 900})
        admin.set_content(
            "<html><body style='margin: 0; background: #f2f2f2;'>"
            "<div style='max-width: 760px; margin: 24px auto; padding: 24px; background: #fff;'>"
            f"{mail['body_html']}</div></body></html>"
        )
        shot(admin, "portal_email_button")

        # the letter: its PDF, first page, at 80 dpi
        response = admin.request.get(
            f"{BASE}/report/pdf/account_dunning.report_dunning_letter/{reminder['id']}"
        )
        with tempfile.TemporaryDirectory() as tmp:
            pdf = os.path.join(tmp, "letter.pdf")
            with open(pdf, "wb") as out:
                out.write(response.body())
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", pdf, f"{tmp}/page"],
                check=True,
            )
            page_png = next(name for name in os.listdir(tmp) if name.endswith(".png"))
            target = os.path.join(OUT_DIR, "portal_letter_qr.png")
            shutil.copy(os.path.join(tmp, page_png), target)
            small(target)

        # the customer: no login
        context = browser.new_context(viewport={"width": WIDTH, "height": 900})
        page = context.new_page()
        for lang, name in (("en_US", "portal_page_en"), ("fr_FR", "portal_page_fr")):
            page.goto(f"{url}&lang={lang}")
            page.wait_for_selector(".o_dunning_portal_currency")
            shot(page, name)
        page.goto(f"{url}&lang=en_US")
        page.click(".o_dunning_portal_pay")
        page.wait_for_selector("#o_payment_form, .o_payment_form", timeout=15000)
        shot(page, "portal_pay")
        page.goto(f"{url}&lang=en_US")
        page.click(".o_dunning_portal_promise")
        page.wait_for_selector(".o_dunning_portal_promise_form")
        shot(page, "promise", extra=True)
        page.goto(f"{url}&lang=fr_FR")
        page.locator(".o_dunning_portal_dispute").first.click()
        page.wait_for_selector(".o_dunning_portal_dispute_form")
        shot(page, "dispute_fr", extra=True)
        page.goto(f"{BASE}/my/reminders/{reminder['id']}?access_token=not-the-right-one")
        page.wait_for_selector(".o_dunning_portal_invalid")
        shot(page, "link_not_valid", extra=True)
        browser.close()


if __name__ == "__main__":
    main()
