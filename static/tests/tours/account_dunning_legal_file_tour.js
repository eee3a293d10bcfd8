/** @odoo-module */
// In French: the customer whose formal notice went unanswered, its legal
// file prepared from its Payment Reminders tab, the road chosen, the ZIP
// downloaded. The download is caught (a browser opens it in a new tab) and
// fetched: it must be a ZIP.
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const CUSTOMER = "Maçonnerie Lambert SARL";
// the test's formal notice was signed for 27 days ago: 8 days to pay
const DEADLINE = luxon.DateTime.now().minus({ days: 19 }).toFormat("dd/MM/yyyy");
const opened = [];
let originalOpen = null;

registry.category("web_tour.tours").add("account_dunning_legal_file_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu("customers", "account.menu_account_customer", "Open the customers"),
        {
            content: "Search the customer",
            trigger: ".o_searchview_input",
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the customer",
            trigger: `.o_kanban_record:contains("${CUSTOMER}")`,
            run: "click",
        },
        {
            content: "The Payment Reminders tab, in French",
            trigger: '.o_notebook a.nav-link[name="dunning"]:contains("Relances clients")',
            run: "click",
        },
        {
            content: "The formal notice's deadline has passed, a French date",
            trigger: `.o_field_widget[name="dunning_notice_deadline"]:contains("${DEADLINE}")`,
        },
        {
            content: "Prepare the legal file",
            trigger: 'button[name="action_dunning_prepare_legal_file"]',
            run: "click",
        },
        {
            content: "The customer is not in litigation: the form asks the road",
            trigger: '.modal .o_field_widget[name="road"] input[data-value="order_for_payment"]',
            run: "click",
        },
        {
            content: "What is claimed, in French: 900,00 of principal",
            trigger: '.modal .o_field_widget[name="claim_text"]:contains("900,00")',
        },
        {
            content: "Catch the download the browser would open",
            trigger: '.modal button[name="action_prepare"]',
            run() {
                opened.length = 0;
                originalOpen = browser.open;
                browser.open = (url) => {
                    opened.push(url);
                    return { closed: false };
                };
            },
        },
        {
            content: "Prepare and download",
            trigger: '.modal button[name="action_prepare"]',
            run: "click",
        },
        {
            content: "The ZIP is downloaded",
            trigger: "body",
            async run() {
                for (let wait = 0; !opened.length && wait < 200; wait++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                browser.open = originalOpen;
                const url = opened[0];
                if (!url || !url.includes("/web/content/") || !url.includes("download=true")) {
                    throw new Error(`No download of the legal file: ${url}`);
                }
                const response = await fetch(url);
                const start = new Uint8Array(await response.arrayBuffer()).slice(0, 2);
                if (!response.ok || String.fromCharCode(...start) !== "PK") {
                    throw new Error(`The download is no ZIP: ${response.status}`);
                }
            },
        },
    ],
});
