# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Payment Reminders: Customer Page",
    "summary": "From every payment reminder, a secret page where the customer sees what "
    "is owed, pays it, promises a date, disputes an invoice or writes to you",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-dunning/account_dunning",
    "author": "The account_dunning authors",
    "license": "LGPL-3",
    "depends": ["account_dunning", "portal", "account_payment"],
    "data": [
        "security/ir.model.access.csv",
        "views/account_dunning_views.xml",
        "views/account_dunning_customer_views.xml",
        "views/res_config_settings_views.xml",
        "views/mail_templates.xml",
        "views/portal_templates.xml",
        "report/account_dunning_templates.xml",
    ],
    "demo": [
        "demo/account_dunning_portal_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_dunning_portal/static/tests/tours/*.js",
        ],
    },
    "external_dependencies": {"python": ["qrcode"]},
    "auto_install": True,
    "installable": True,
}
