/** @odoo-module */
// The settings' daily job: a dry run shows what it would send, in the
// workbench; Run Now asks first, then says the job is on its way.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

registry.category("web_tour.tours").add("account_dunning_settings_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu("configuration", "account.menu_account_config", "Open the settings"),
        {
            content: "The Payment Reminders block is there",
            trigger: '.o_setting_box:has(.o_field_widget[name="dunning_default_plan_id"])',
        },
        {
            content: "Dry run",
            trigger: 'button[name="action_dunning_dry_run"]',
            run: "click",
        },
        {
            content: "The workbench says it is a dry run",
            trigger: '.o_form_view .alert-info:contains("Dry run:")',
        },
        {
            content: "It proposes the automatic customer's reminder",
            trigger:
                '.o_field_widget[name="proposal_ids"] .o_data_row:contains("Tour Automatic Customer")',
        },
        {
            content: "Go back to the settings",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Run the job now",
            trigger: 'button[name="action_dunning_run_now"]',
            run: "click",
        },
        {
            content: "The confirmation says what the job will do",
            trigger: '.modal .modal-body:contains("The daily job will send now")',
        },
        {
            content: "Not now",
            trigger: '.modal .modal-footer button:contains("Not Now")',
            run: "click",
        },
        {
            content: "Nothing is announced",
            trigger: "body:not(:has(.modal)):not(:has(.o_notification))",
        },
        {
            content: "Run the job now, this time for good",
            trigger: 'button[name="action_dunning_run_now"]',
            run: "click",
        },
        {
            content: "Confirm",
            trigger: '.modal .modal-footer button.btn-primary:contains("Run the Job Now")',
            run: "click",
        },
        {
            content: "The user is told the job starts",
            trigger: '.o_notification:contains("The daily job starts in a moment")',
        },
    ],
});
