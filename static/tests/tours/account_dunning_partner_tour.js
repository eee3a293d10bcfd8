/** @odoo-module */
// The customer's "Payment Reminders" tab: the plan in use and where it
// comes from, what is overdue, and a reminder by letter in two clicks.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const CUSTOMER = "Tour Letter Customer";

registry.category("web_tour.tours").add("account_dunning_partner_tour", {
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
            content: "Open the Payment Reminders tab",
            trigger: '.o_notebook a.nav-link[name="dunning"]',
            run: "click",
        },
        {
            content: "The plan in use is the plan for private companies",
            trigger:
                '.o_field_widget[name="dunning_effective_plan_id"]:contains("Tour Companies Plan")',
        },
        {
            content: "It says where the plan comes from",
            trigger: '.o_field_widget[name="dunning_plan_origin"]:contains("customer type")',
        },
        {
            content: "What is overdue, net",
            trigger: '.o_field_widget[name="dunning_total_overdue"]:contains("500.00")',
        },
        {
            content: "Remind by letter",
            trigger: 'button[name="action_dunning_remind_letter"]',
            run: "click",
        },
        {
            content: "The workbench opens with the customer's reminder prepared",
            trigger: `.o_field_widget[name="proposal_ids"] .o_data_row:contains("${CUSTOMER}")`,
        },
        {
            content: "By letter",
            trigger: '.o_data_row .o_field_widget[name="send_letter"] input:checked',
        },
        {
            content: "Not by email",
            trigger: '.o_data_row .o_field_widget[name="send_email"] input:not(:checked)',
        },
        {
            content: "Create and send",
            trigger: 'button[name="action_create"]',
            run: "click",
        },
        {
            content: "The summary counts the letter",
            trigger: '.o_field_widget[name="summary"] li:contains("by letter")',
        },
        {
            content: "The letter can be downloaded",
            trigger: 'button[name="action_download_letters"]',
        },
        {
            content: "The reminder can be opened",
            trigger: 'button[name="action_view_reminders"]',
        },
    ],
});
