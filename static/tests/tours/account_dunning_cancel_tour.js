/** @odoo-module */
// A reminder sent by mistake is cancelled from the history: the dialog
// says what cancelling does, and its buttons say what they do.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const CUSTOMER = "Tour Cancel Customer";

registry.category("web_tour.tours").add("account_dunning_cancel_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu("customers", "account_dunning.account_dunning_menu", "Open the reminder history"),
        {
            content: "The page has the menu's title",
            trigger: '.o_breadcrumb:contains("Reminder History")',
        },
        {
            content: "Open the customer's second reminder",
            trigger:
                `.o_data_row:contains("${CUSTOMER}"):contains("Second reminder") td[name="name"]`,
            run: "click",
        },
        {
            content: "It is sent",
            trigger: '.o_field_widget[name="state"] .o_arrow_button_current:contains("Sent")',
        },
        {
            content: "Cancel it",
            trigger: 'button[name="action_cancel"]',
            run: "click",
        },
        {
            content: "The dialog says what cancelling does",
            trigger: '.modal .modal-body:contains("gives its invoices their previous level back")',
        },
        {
            content: "Change one's mind",
            trigger: '.modal .modal-footer button:contains("Keep the Reminder")',
            run: "click",
        },
        {
            content: "The reminder is still sent",
            trigger:
                'body:not(:has(.modal)) .o_field_widget[name="state"] .o_arrow_button_current:contains("Sent")',
        },
        {
            content: "Cancel it after all",
            trigger: 'button[name="action_cancel"]',
            run: "click",
        },
        {
            content: "Confirm",
            trigger: '.modal .modal-footer button.btn-primary:contains("Cancel the Reminder")',
            run: "click",
        },
        {
            content: "The reminder is cancelled",
            trigger: '.o_field_widget[name="state"] .o_arrow_button_current:contains("Cancelled")',
        },
        {
            content: "It cannot be cancelled twice",
            trigger: '.o_form_statusbar:not(:has(button[name="action_cancel"]))',
        },
    ],
});
