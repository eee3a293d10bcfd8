/** @odoo-module */
// The customer's page of a French customer, opened from its reminder
// email without a login: in French, a promise and a dispute. Each action's
// trigger holds its French label: the tour says the page is translated.
import { registry } from "@web/core/registry";
import {
    disputeSteps,
    promiseSteps,
    row,
    statementSteps,
    untick,
} from "./account_dunning_portal_tour_steps";

const LABELS = {
    pay: "Payer les factures cochées",
    promise: "Promettre de payer",
    promiseSubmit: "Enregistrer ma promesse",
    dispute: "Contester",
    disputeSubmit: "Envoyer ma contestation",
    // the status badge and the statement's button: found by their class
};

registry.category("web_tour.tours").add("account_dunning_portal_tour_fr", {
    steps: () => [
        {
            content: "The page is the customer's",
            trigger: '.o_dunning_portal:contains("Quincaillerie Martin")',
        },
        {
            content: "Its amounts are written the French way",
            trigger: '.o_dunning_portal_total:contains("650,00")',
        },
        {
            content: "The invoices can be paid, in French",
            trigger: `button.o_dunning_portal_pay:contains("${LABELS.pay}")`,
        },
        ...untick("TOUR-FR-DISPUTE"),
        ...promiseSteps("TOUR-FR-PROMISE", "Nous réglerons à réception de notre acompte", LABELS),
        ...disputeSteps(
            "TOUR-FR-DISPUTE",
            "not_received",
            "Non reçu",
            "La marchandise n'a jamais été livrée à notre dépôt",
            LABELS
        ),
        ...statementSteps(LABELS),
    ],
});
