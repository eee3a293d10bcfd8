/** @odoo-module */
// Customer Accounts: above the rows, the period the search chose and, per
// company, what its customers owe and its days sales outstanding.
import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";

export class DunningCustomerSummary extends Component {
    static template = "account_dunning.CustomerSummary";
    static props = { context: Object, domain: Array };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ summary: null });
        onWillStart(() => this.load(this.props));
        onWillUpdateProps((nextProps) => this.load(nextProps));
    }

    async load(props) {
        this.state.summary = await this.orm.call(
            "account.dunning.customer",
            "get_dunning_summary",
            [props.domain],
            { context: props.context }
        );
    }
}

export class DunningCustomerListController extends ListController {
    static template = "account_dunning.CustomerListView";
    static components = { ...ListController.components, DunningCustomerSummary };
}

registry.category("views").add("account_dunning_customer_list", {
    ...listView,
    Controller: DunningCustomerListController,
});
