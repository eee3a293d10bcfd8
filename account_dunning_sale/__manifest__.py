# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Quotation Reminders",
    "summary": "Remind customers of their sent quotations before and after they expire",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/account-dunning/account_dunning",
    "author": "The account_dunning authors",
    "license": "LGPL-3",
    "depends": ["account_dunning", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/account_dunning_sale_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "views/account_dunning_quotation_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/account_dunning_quotation_wizard_views.xml",
    ],
    "demo": [
        "demo/sale_order_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
