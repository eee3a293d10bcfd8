/** @odoo-module */
// Seed 004's mark of the reminder address: green when the reminder contact
// has what the plan's channels need, red otherwise (the reason as its
// tooltip); a click opens the customer's addresses.
import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export class DunningAddressMarkField extends Component {
    static template = "account_dunning.AddressMarkField";
    static props = { ...standardFieldProps };

    setup() {
        this.action = useService("action");
        this.orm = useService("orm");
    }

    get ok() {
        return this.props.record.data[this.props.name];
    }

    get title() {
        return this.props.record.data.address_issue || "";
    }

    async openAddresses(ev) {
        ev.stopPropagation();
        const action = await this.orm.call(
            this.props.record.resModel,
            "action_open_addresses",
            [[this.props.record.resId]]
        );
        await this.action.doAction(action);
    }
}

registry.category("fields").add("account_dunning_address_mark", {
    component: DunningAddressMarkField,
    relatedFields: [{ name: "address_issue", type: "char" }],
});
