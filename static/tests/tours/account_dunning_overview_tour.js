/** @odoo-module */
// The Collection Overview, in French: the card of the letters waiting for
// the post counts the customer's letter and opens their list.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const CUSTOMER = "Quincaillerie Martin";
const LETTERS = ".o_kanban_record:has(.o_dunning_overview_letters)";

registry.category("web_tour.tours").add("account_dunning_overview_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu(
            "customers",
            "account_dunning.account_dunning_overview_menu",
            "Open the Collection Overview"
        ),
        {
            content: "The overdue amount has its card",
            trigger: ".o_kanban_record .o_dunning_overview_overdue",
        },
        {
            content: "One letter waits for the post",
            trigger: `${LETTERS} .o_dunning_overview_letters:contains("1")`,
        },
        {
            content: "Open the letters to post",
            trigger: `${LETTERS} button[name="action_open"]`,
            run: "click",
        },
        {
            content: "The customer's letter is listed, to post, in French",
            trigger: `.o_data_row:contains("${CUSTOMER}") [name="letter_state"]:contains("À poster")`,
        },
    ],
});
