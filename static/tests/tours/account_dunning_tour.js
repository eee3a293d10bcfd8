/** @odoo-module */
// A credit controller's week: from the menu to sent reminders.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

registry.category("web_tour.tours").add("account_dunning_workbench_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu(
            "customers",
            "account_dunning.account_dunning_wizard_menu",
            "Open the reminder workbench"
        ),
        {
            content: "Filter on one customer",
            trigger: '.o_field_widget[name="partner_ids"] input',
            run: "edit Tour Customer",
        },
        {
            content: "Pick the customer",
            trigger: '.o-autocomplete--dropdown-item a:contains("Tour Customer")',
            run: "click",
        },
        {
            content: "Search",
            trigger: 'button[name="action_search"]',
            run: "click",
        },
        {
            content: "Three open invoices are listed",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:eq(2)',
        },
        {
            content: "Start from an empty selection",
            trigger: 'button[name="action_select_none"]',
            run: "click",
        },
        {
            content: "Nothing is selected",
            trigger: '.o_field_widget[name="selected_count"]:contains("0")',
        },
        {
            content: "Select the first invoice",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:eq(0) .o_field_boolean_toggle input',
            run: "click",
        },
        {
            content: "One invoice is selected",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:eq(0) .o_field_boolean_toggle input:checked',
        },
        {
            content: "Select the second invoice",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:eq(1) .o_field_boolean_toggle input',
            run: "click",
        },
        {
            content: "Two invoices are selected",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:eq(1) .o_field_boolean_toggle input:checked',
        },
        {
            content: "Prepare the reminders",
            trigger: 'button[name="action_prepare"]',
            run: "click",
        },
        {
            content: "One reminder is proposed for the customer",
            trigger: '.o_field_widget[name="proposal_ids"] .o_data_row:contains("Tour Customer")',
        },
        {
            content: "Run the controls",
            trigger: 'button[name="action_check"]',
            run: "click",
        },
        {
            content: "The controls switched the email to a letter, and say why",
            trigger: '.o_field_widget[name="warning_note"]:contains("no email address")',
        },
        {
            content: "The customer's row carries the warning icon",
            trigger: '.o_field_widget[name="proposal_ids"] .o_data_row:contains("Tour Customer") .o_field_boolean_icon',
        },
        {
            content: "Create the reminders",
            trigger: 'button[name="action_create"]',
            run: "click",
        },
        {
            content: "The summary shows what was done",
            trigger: '.o_field_widget[name="summary"]:contains("reminder(s) created")',
        },
        {
            content: "The letters can be downloaded",
            trigger: 'button[name="action_download_letters"]',
        },
    ],
});
