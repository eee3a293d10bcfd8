/** @odoo-module */
// The reminder workbench is a tool, not a record among others: its form
// shows no pager ("1 / 1") and no "New".
import { registry } from "@web/core/registry";
import { usePager } from "@web/search/pager_hook";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";

export class DunningWorkbenchFormController extends FormController {
    setup() {
        super.setup();
        usePager(() => null);
    }
}

registry.category("views").add("account_dunning_workbench", {
    ...formView,
    Controller: DunningWorkbenchFormController,
});
