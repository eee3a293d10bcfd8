/** @odoo-module */
// Customer Accounts, customer by customer (seed 004): the red mark of a
// reminder address without email, a printed account statement, then a
// mass reminder of two customers through the workbench.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const GREEN = "Tour Accounts Green";
const RED = "Tour Accounts Red";

registry.category("web_tour.tours").add("account_dunning_customer_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu(
            "customers",
            "account_dunning.account_dunning_customer_menu",
            "Open Customer Accounts"
        ),
        {
            content: "The company's days sales outstanding are shown above the rows",
            trigger: ".o_dunning_customer_summary .o_dunning_summary_dso",
        },
        {
            content: "The customer with a complete reminder address has the green mark",
            trigger: `.o_data_row:contains("${GREEN}") .o_dunning_address_mark.o_dunning_mark_ok`,
        },
        {
            content: "The customer without email has the red mark, its reason as tooltip",
            trigger: `.o_data_row:contains("${RED}") .o_dunning_mark_missing[data-tooltip*="no email address"]`,
        },
        {
            content: "Tick the first customer",
            trigger: `.o_data_row:contains("${GREEN}") .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Tick the second customer",
            trigger: `.o_data_row:contains("${RED}") .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Two customers are selected",
            trigger: '.o_list_selection_box:contains("2")',
        },
        {
            content: "Remind them in one go",
            trigger: '.o_control_panel button[name="action_open_workbench"]',
            run: "click",
        },
        {
            content: "The workbench lists their late invoices",
            trigger: `.o_field_widget[name="line_ids"] .o_data_row:contains("${RED}")`,
        },
        {
            content: "Prepare the reminders",
            trigger: 'button[name="action_prepare"]',
            run: "click",
        },
        {
            content: "One reminder is proposed for each customer",
            trigger: `.o_field_widget[name="proposal_ids"] .o_data_row:contains("${GREEN}")`,
        },
        {
            content: "Create and send",
            trigger: 'button[name="action_create"]',
            run: "click",
        },
        {
            content: "The summary shows the reminders created",
            trigger: '.o_field_widget[name="summary"] strong:contains("2")',
        },
        ...openInvoicingMenu(
            "customers",
            "account_dunning.account_dunning_customer_menu",
            "Back to Customer Accounts",
            { fromHome: false }
        ),
        {
            content: "The customer's last reminder is on its row",
            trigger: `.o_data_row:contains("${GREEN}") td[name="last_dunning_label"]:contains("First reminder")`,
        },
        {
            content: "Tick the first customer",
            trigger: `.o_data_row:contains("${GREEN}") .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Print its account statement",
            trigger: '.o_control_panel button[name="action_print_activity"]',
            run: "click",
        },
        {
            content: "Once downloaded, the list is back, nothing ticked",
            trigger: `.o_data_row:contains("${GREEN}") .o_list_record_selector input:not(:checked)`,
        },
    ],
});
