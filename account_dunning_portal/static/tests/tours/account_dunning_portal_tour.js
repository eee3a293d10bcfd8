/** @odoo-module */
// The customer's page, opened from the reminder email without a login, in
// English: two invoices paid with the demo provider, a third promised, a
// fourth disputed, the statement downloaded. The test opens the link it
// read in the email and checks in the database what the clicks did.
import { registry } from "@web/core/registry";
import {
    disputeSteps,
    promiseSteps,
    row,
    statementSteps,
    untick,
} from "./account_dunning_portal_tour_steps";

const LABELS = {
    pay: "Pay the ticked invoices",
    promise: "Promise to pay",
    promiseSubmit: "Record my promise",
    dispute: "Dispute",
    disputeSubmit: "Send my dispute",
    underReview: "Under review",
    statement: "Download my statement",
};

registry.category("web_tour.tours").add("account_dunning_portal_tour", {
    steps: () => [
        {
            content: "The page is the customer's",
            trigger: '.o_dunning_portal:contains("Dupont SARL")',
        },
        ...["TOUR-PAY-1", "TOUR-PAY-2", "TOUR-PROMISE", "TOUR-DISPUTE", "TOUR-OPEN"].map(
            (ref) => ({
                content: `${ref} is listed, late and ticked`,
                trigger: `${row(ref)}.table-danger input[name="invoice_ids"]:checked`,
            })
        ),
        {
            content: "The customer owes 3,300.00 in all",
            trigger: '.o_dunning_portal_total:contains("3,300.00")',
        },
        ...untick("TOUR-PROMISE"),
        ...untick("TOUR-DISPUTE"),
        ...untick("TOUR-OPEN"),
        {
            content: "Pay the two invoices ticked",
            trigger: `button.o_dunning_portal_pay:contains("${LABELS.pay}")`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The payment page asks for their total",
            trigger: 'h1:contains("Pay"):contains("1,500.00")',
        },
        {
            content: "It lists the two invoices",
            trigger: ".o_dunning_portal_pay_invoices:has(li:eq(1)):not(:has(li:eq(2)))",
        },
        {
            content: "Choose the demo provider",
            trigger: 'input[name="o_payment_radio"][data-provider-code="demo"]',
            run: "click",
        },
        {
            content: "Its form simulates a successful payment",
            trigger: "#simulated_payment_state",
            run() {
                if (this.anchor.value !== "done") {
                    throw new Error(`The simulated state is ${this.anchor.value}`);
                }
            },
        },
        {
            content: "Pay",
            trigger: 'button[name="o_payment_submit_button"]:enabled',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the page, which says the payment is received",
            trigger: '.o_dunning_portal_paid.alert-success:contains("we received your payment")',
        },
        {
            content: "The invoices paid are no longer owed",
            trigger: `.o_dunning_portal_currency:not(:has(${row("TOUR-PAY-1")})):not(:has(${row(
                "TOUR-PAY-2"
            )}))`,
        },
        {
            content: "What is left is owed",
            trigger: '.o_dunning_portal_total:contains("1,800.00")',
        },
        ...untick("TOUR-DISPUTE"),
        ...untick("TOUR-OPEN"),
        ...promiseSteps("TOUR-PROMISE", "We pay once our own customer has paid us", LABELS),
        ...disputeSteps(
            "TOUR-DISPUTE",
            "price",
            "Price",
            "The price is not the one of our order",
            LABELS
        ),
        ...statementSteps(LABELS),
    ],
});
