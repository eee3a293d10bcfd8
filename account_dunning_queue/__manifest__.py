# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Payment Reminders on the Job Queue",
    "summary": "Run the daily payment reminder job in batches on OCA's job queue",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-dunning/account_dunning",
    "author": "The account_dunning authors",
    "license": "LGPL-3",
    "depends": ["account_dunning", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
    ],
    "auto_install": True,
    "installable": True,
}
