/** @odoo-module */
// The invoice's "Payment Reminders" tab: where the invoice stands, and a
// phone call logged from it.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const CUSTOMER = "Tour Call Customer";

registry.category("web_tour.tours").add("account_dunning_invoice_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu("customers", "account.menu_action_move_out_invoice_type", "Open the invoices"),
        {
            content: "Open the customer's invoice",
            trigger: `.o_list_view .o_data_row:contains("${CUSTOMER}") td[name="name"]`,
            run: "click",
        },
        {
            content: "Open the Payment Reminders tab",
            trigger: '.o_notebook a.nav-link[name="dunning"]',
            run: "click",
        },
        {
            content: "The invoice follows the company's plan",
            trigger: '.o_field_widget[name="dunning_plan_id"]:contains("Test plan")',
        },
        {
            content: "It is 15 days late",
            trigger: '.o_field_widget[name="dunning_days_overdue"]:contains("15")',
        },
        {
            content: "It was never reminded",
            trigger: '.o_field_widget[name="dunning_count"]:contains("0")',
        },
        {
            content: "Log a call",
            trigger: 'button[name="action_dunning_log_call"]',
            run: "click",
        },
        {
            content: "The call is about this customer",
            trigger: `.modal .o_field_widget[name="partner_id"]:contains("${CUSTOMER}")`,
        },
        {
            content: "The customer disputes the invoice",
            trigger: '.modal .o_field_widget[name="outcome"] select',
            run: 'select "disputed"',
        },
        {
            content: "The call counts as the first reminder",
            trigger: '.modal .o_field_widget[name="move_level"] input',
            run: "click",
        },
        {
            content: "Note what was said",
            trigger: '.modal .o_field_widget[name="note"] textarea',
            run: "edit The delivery was incomplete",
        },
        {
            content: "Log the call",
            trigger: '.modal button[name="action_log"]',
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The invoice shows its first reminder",
            trigger: '.o_field_widget[name="dunning_level_id"]:contains("First reminder")',
        },
        {
            content: "and one reminder",
            trigger: '.o_field_widget[name="dunning_count"]:contains("1")',
        },
    ],
});
