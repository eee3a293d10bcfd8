/** @odoo-module */
// The reminder priority, its reasons on hover ("1 200,00 € overdue · 45 days
// late · grade D · promise broken"): whom to chase first and why, in a
// column narrow enough for the worklist and Customer Accounts to fit a
// screen. The field named by the option reasons_field holds the reasons.
import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export class DunningPriorityField extends Component {
    static template = "account_dunning.PriorityField";
    static props = { ...standardFieldProps, reasonsField: { type: String, optional: true } };

    get value() {
        return this.props.record.data[this.props.name] || 0;
    }

    get title() {
        return (this.props.reasonsField && this.props.record.data[this.props.reasonsField]) || "";
    }
}

registry.category("fields").add("account_dunning_priority", {
    component: DunningPriorityField,
    supportedOptions: [{ label: "Reasons field", name: "reasons_field", type: "string" }],
    extractProps: ({ options }) => ({ reasonsField: options.reasons_field }),
    fieldDependencies: ({ options }) =>
        options.reasons_field ? [{ name: options.reasons_field, type: "char" }] : [],
});
