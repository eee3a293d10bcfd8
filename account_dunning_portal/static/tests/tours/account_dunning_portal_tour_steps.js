/** @odoo-module */
// Steps the customer page's tours share. The customer sees the page
// without a login; the invoices are found by their customer reference
// (TOUR-...), which the page prints under each number. ``labels`` are the
// page's words in the tour's language: each action's trigger also checks
// its label, so that a tour in French says the page is in French; a label
// left out is not checked.

/** ``:contains`` of ``label``, or nothing without a label. */
function contains(label) {
    return label ? `:contains("${label}")` : "";
}

/** The row of the invoice of customer reference ``ref``. */
export function row(ref) {
    return `.o_dunning_portal_row:contains("${ref}")`;
}

/** Untick the invoice ``ref`` (ticked by default because it is late). */
export function untick(ref) {
    return [
        {
            content: `Untick ${ref}`,
            trigger: `${row(ref)} input[name="invoice_ids"]:checked`,
            run: "click",
        },
        {
            content: `${ref} is no longer ticked`,
            trigger: `${row(ref)} input[name="invoice_ids"]:not(:checked)`,
        },
    ];
}

/**
 * Promise to pay the invoice ``ref`` (the only one ticked) a week from
 * today, with ``note``; the page then shows the promise on its row.
 */
export function promiseSteps(ref, note, labels) {
    return [
        {
            content: `Only ${ref} is ticked: promise to pay it`,
            trigger: `.o_dunning_portal_currency:has(${row(ref)} input:checked) button.o_dunning_portal_promise${contains(labels.promise)}`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            // left as proposed: the test reads it back from the promise
            content: "The promise form proposes an amount",
            trigger: '.o_dunning_portal_promise_form input[name="amount"]',
        },
        {
            content: "Promise to pay a week from today (the form's first day is today)",
            trigger: '.o_dunning_portal_promise_form input[name="date"][min]',
            run() {
                const input = this.anchor;
                const date = new Date(`${input.min}T00:00:00Z`);
                date.setUTCDate(date.getUTCDate() + 7);
                input.value = date.toISOString().slice(0, 10);
                input.dispatchEvent(new Event("input", { bubbles: true }));
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Write a word",
            trigger: '.o_dunning_portal_promise_form textarea[name="note"]',
            run: `edit ${note}`,
        },
        {
            content: "Record the promise",
            trigger: `button.o_dunning_portal_promise_submit${contains(labels.promiseSubmit)}`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page thanks the customer for the promise",
            trigger: ".o_dunning_portal_done.alert-success",
        },
        {
            content: `${ref} shows the promise`,
            trigger: `${row(ref)} .o_dunning_portal_promised`,
        },
        {
            content: `${ref} is no longer ticked by default`,
            trigger: `${row(ref)} input[name="invoice_ids"]:not(:checked)`,
        },
    ];
}

/**
 * Dispute the invoice ``ref`` for ``reason`` (its value and label) with
 * ``message``; the page then shows it under review.
 */
export function disputeSteps(ref, reason, reasonLabel, message, labels) {
    return [
        {
            content: `Dispute ${ref}`,
            trigger: `${row(ref)} a.o_dunning_portal_dispute${contains(labels.dispute)}`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The reasons are the module's",
            trigger: `.o_dunning_portal_dispute_form select[name="reason"]:has(option[value="${reason}"]:contains("${reasonLabel}"))`,
        },
        {
            content: "Choose the reason",
            trigger: '.o_dunning_portal_dispute_form select[name="reason"]',
            run: `select ${reason}`,
        },
        {
            content: "Say what is wrong",
            trigger: '.o_dunning_portal_dispute_form textarea[name="message"]',
            run: `edit ${message}`,
        },
        {
            content: "Send the dispute",
            trigger: `button.o_dunning_portal_dispute_submit${contains(labels.disputeSubmit)}`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says the invoice is being reviewed",
            trigger: ".o_dunning_portal_done.alert-success",
        },
        {
            content: `${ref} is under review`,
            trigger: `${row(ref)} .o_dunning_portal_disputed${contains(labels.underReview)}`,
        },
        {
            content: `${ref} can no longer be disputed`,
            trigger: `${row(ref)}:not(:has(a.o_dunning_portal_dispute))`,
        },
    ];
}

/** The statement link answers with a PDF. */
export function statementSteps(labels) {
    return [
        {
            content: "Download the statement: it answers with a PDF",
            trigger: `a.o_dunning_portal_statement${contains(labels.statement)}`,
            async run() {
                const response = await fetch(this.anchor.href);
                const type = response.headers.get("Content-Type") || "";
                const disposition = response.headers.get("Content-Disposition") || "";
                const body = await response.arrayBuffer();
                if (
                    response.status !== 200 ||
                    !type.startsWith("application/pdf") ||
                    !disposition.includes(".pdf") ||
                    !body.byteLength
                ) {
                    throw new Error(
                        `The statement did not download: ${response.status} ${type} ${disposition}`
                    );
                }
            },
        },
    ];
}
