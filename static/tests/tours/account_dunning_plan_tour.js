/** @odoo-module */
// A manager sets up a reminder plan: three levels typed in the list, then
// two plans the rules refuse, and the message each refusal shows.
import { registry } from "@web/core/registry";
import { openInvoicingMenu } from "./account_dunning_tour_steps";

const LEVELS = '.o_field_widget[name="level_ids"]';
const EDITED_ROW = `${LEVELS} .o_data_row.o_selected_row`;

function addLevel(name, days, extraSteps = []) {
    return [
        {
            content: `Add the level "${name}"`,
            trigger: `${LEVELS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Name it",
            trigger: `${EDITED_ROW} .o_field_widget[name="name"] input`,
            run: `edit ${name}`,
        },
        {
            content: "Give its number of days",
            trigger: `${EDITED_ROW} .o_field_widget[name="days"] input`,
            run: `edit ${days}`,
        },
        ...extraSteps,
    ];
}

function readRefusal(content, text) {
    return [
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content,
            trigger: `.modal .modal-body:contains("${text}")`,
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Discard the refused change",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "The form is back to the saved plan",
            trigger: ".o_form_saved",
        },
    ];
}

registry.category("web_tour.tours").add("account_dunning_plan_tour", {
    url: "/odoo",
    steps: () => [
        ...openInvoicingMenu("configuration", "account_dunning.account_dunning_plan_menu", "Open the reminder plans"),
        {
            content: "The plans are listed",
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Create a plan",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name the plan",
            trigger: '.o_form_view .o_field_widget[name="name"] input',
            run: "edit Tour Plan",
        },
        {
            content: "It serves the private companies",
            trigger: '.o_field_widget[name="partner_type"] select',
            run: 'select "company"',
        },
        ...addLevel("Tour Reminder", 10),
        ...addLevel("Tour Second Reminder", 25, [
            {
                content: "Also by letter",
                trigger: `${EDITED_ROW} .o_field_widget[name="send_letter"] input`,
                run: "click",
            },
        ]),
        ...addLevel("Tour Formal Notice", 45, [
            {
                content: "By letter",
                trigger: `${EDITED_ROW} .o_field_widget[name="send_letter"] input`,
                run: "click",
            },
            {
                content: "Not by email",
                trigger: `${EDITED_ROW} .o_field_widget[name="send_email"] input:checked`,
                run: "click",
            },
            {
                content: "The letter is a formal notice",
                trigger: `${EDITED_ROW} .o_field_widget[name="letter_kind"] select:enabled`,
                run: 'select "formal_notice"',
            },
        ]),
        {
            content: "Save the plan",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The plan is saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Its three levels are listed in the order of their days",
            trigger: `${LEVELS} .o_data_row:eq(2) td[name="name"]:contains("Tour Formal Notice")`,
        },
        {
            content: "The first level is numbered 1",
            trigger: `${LEVELS} .o_data_row:eq(0) td[name="rank"]:contains("1")`,
        },
        // Two levels on the same day: refused
        ...addLevel("Tour Same Day", 25),
        ...readRefusal(
            "The user reads why two levels cannot share their days",
            "cannot have the same number of days"
        ),
        // A formal notice before the due date: refused
        {
            content: "Open the days of the formal notice",
            trigger: `${LEVELS} .o_data_row:eq(2) td[name="days"]`,
            run: "click",
        },
        {
            content: "Make it a formal notice before the due date",
            trigger: `${EDITED_ROW} .o_field_widget[name="days"] input`,
            run: "edit -3",
        },
        ...readRefusal(
            "The user reads why a formal notice needs an invoice past due",
            "a formal notice can only be sent once the invoice is past its due date"
        ),
        {
            content: "Back to the plans",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The plan is listed with its three levels",
            trigger: '.o_data_row:contains("Tour Plan") td[name="level_count"]:contains("3")',
        },
    ],
});
