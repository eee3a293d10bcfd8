# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Payment Reminders by SMS",
    "summary": "Send the SMS of payment reminders through Odoo's SMS",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-dunning/account_dunning",
    "author": "The account_dunning authors",
    "license": "LGPL-3",
    "depends": ["account_dunning", "sms"],
    "data": [
        "views/account_dunning_level_views.xml",
        "views/account_dunning_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
