/** @odoo-module */
// In French: a credit controller prepares a reminder and looks at its email
// and its letter before sending. Selectors use names and menu ids; the
// checks of French words are the customer's texts, in French.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const CUSTOMER = "Quincaillerie Durand";

registry.category("web_tour.tours").add("account_dunning_preview_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu(
            "customers",
            "account_dunning.account_dunning_wizard_menu",
            "Open the reminder workbench"
        ),
        {
            content: "The customer's late invoice is listed",
            trigger: `.o_field_widget[name="line_ids"] .o_data_row:contains("${CUSTOMER}")`,
        },
        {
            content: "Prepare the reminders",
            trigger: 'button[name="action_prepare"]',
            run: "click",
        },
        {
            content: "Preview the customer's reminder",
            trigger: `.o_field_widget[name="proposal_ids"] .o_data_row:contains("${CUSTOMER}") button[name="action_preview"]`,
            run: "click",
        },
        {
            content: "The email's subject is in the customer's language",
            trigger: '.modal .o_field_widget[name="subject"]:contains("relevé de factures impayées")',
        },
        {
            content: "The email goes to the customer's address",
            trigger: '.modal .o_field_widget[name="email_to"]:contains("compta@durand.test")',
        },
        {
            content: "The email's body is shown as the customer will read it",
            trigger: '.modal .o_field_widget[name="email_body"] iframe',
        },
        {
            content: "The email reads in French",
            trigger: '.modal .o_field_widget[name="email_body"] :iframe p:contains("Madame, Monsieur")',
        },
        {
            content: "Open the letter",
            trigger: '.modal a.nav-link[name="letter"]',
            run: "click",
        },
        {
            content: "The letter is shown",
            trigger: '.modal .o_field_widget[name="letter_html"] :iframe .o_dunning_letter',
        },
        {
            content: "Close the preview",
            trigger: '.modal .modal-footer button.btn-primary',
            run: "click",
        },
        {
            content: "Back on the workbench, nothing was sent",
            trigger: `body:not(:has(.modal)) .o_field_widget[name="proposal_ids"] .o_data_row:contains("${CUSTOMER}")`,
        },
    ],
});
