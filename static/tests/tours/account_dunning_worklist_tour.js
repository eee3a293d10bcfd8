/** @odoo-module */
// A French credit controller's round, in French: the invoices to remind,
// the workbench, the reminders created, then the letters put in the post.
// Selectors use names and menu ids; the checks of French words say the
// screens are translated.
import { accountTourSteps } from "@account/js/tours/account";
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const CUSTOMER = "Quincaillerie Martin";

registry.category("web_tour.tours").add("account_dunning_worklist_tour", {
    url: "/odoo",
    steps: () => [
        ...accountTourSteps.goToAccountMenu("Open Invoicing"),
        {
            content: "Open the Customers menu",
            trigger: 'button[data-menu-xmlid="account.menu_finance_receivables"]',
            run: "click",
        },
        {
            content: "The menu of the invoices to remind is in French",
            trigger:
                'a[data-menu-xmlid="account_dunning.account_move_dunning_menu"]:contains("Factures à relancer")',
        },
        {
            content: "The reminders' menu group is in French",
            trigger: '.dropdown-header:contains("Relances")',
        },
        {
            content: "Open the invoices to remind",
            trigger: 'a[data-menu-xmlid="account_dunning.account_move_dunning_menu"]',
            run: "click",
        },
        {
            content: "The page is titled in French",
            trigger: '.o_breadcrumb:contains("Factures à relancer")',
        },
        {
            content: "The customer's late invoices are listed",
            trigger: `.o_list_view .o_data_row:contains("${CUSTOMER}")`,
        },
        {
            content: "The priority says why on hover, in French",
            trigger: `.o_list_view .o_data_row:contains("${CUSTOMER}") .o_dunning_priority[data-tooltip*="jours de retard"]`,
        },
        {
            content: "Prepare the reminders of what the list shows, nothing ticked",
            trigger: '.o_control_panel button[name="action_dunning_prepare"]',
            run: "click",
        },
        {
            content: "The workbench lists the late invoices",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:eq(1)',
        },
        {
            content: "Those to remind come ticked",
            trigger: '.o_field_widget[name="selected_count"]:contains("2")',
        },
        {
            content: "Prepare the reminders",
            trigger: 'button[name="action_prepare"]:contains("Préparer les relances")',
            run: "click",
        },
        {
            content: "One reminder is proposed for the customer",
            trigger: `.o_field_widget[name="proposal_ids"] .o_data_row:contains("${CUSTOMER}")`,
        },
        {
            content: "Create and send",
            trigger: 'button[name="action_create"]',
            run: "click",
        },
        {
            content: "The summary shows the reminder created",
            trigger: '.o_field_widget[name="summary"] strong:contains("1")',
        },
        {
            content: "The letters can be downloaded",
            trigger: 'button[name="action_download_letters"]',
        },
        ...openInvoicingMenu(
            "customers",
            "account_dunning.account_dunning_to_post_menu",
            "Open the letters to post",
            { fromHome: false }
        ),
        {
            content: "The page is titled in French",
            trigger: '.o_breadcrumb:contains("Lettres à poster")',
        },
        {
            content: "Tick the customer's letter",
            trigger: `.o_data_row:contains("${CUSTOMER}") .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Mark it as posted",
            trigger:
                '.o_control_panel button[name="action_mark_posted"]:contains("Marquer comme postée")',
            run: "click",
        },
        {
            content: "No letter is left to post",
            trigger: ".o_view_nocontent",
        },
    ],
});
