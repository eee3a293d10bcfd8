/** @odoo-module */
// Steps the module's tours share: from the home screen to a menu of the
// Invoicing app, by the menus' ids (they read the same in any language).
import { accountTourSteps } from "@account/js/tours/account";

const SECTIONS = {
    customers: ["Open the Customers menu", "account.menu_finance_receivables"],
    configuration: ["Open the Configuration menu", "account.menu_finance_configuration"],
};

/**
 * The steps that open the menu ``menuXmlid`` of the Invoicing app's
 * section ``section`` ("customers" or "configuration").
 */
export function openInvoicingMenu(section, menuXmlid, content, { fromHome = true } = {}) {
    const [sectionContent, sectionXmlid] = SECTIONS[section];
    return [
        ...(fromHome ? accountTourSteps.goToAccountMenu("Open Invoicing") : []),
        {
            content: sectionContent,
            trigger: `button[data-menu-xmlid="${sectionXmlid}"]`,
            run: "click",
        },
        {
            content,
            trigger: `a[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}
