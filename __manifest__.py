# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Payment Reminders (Dunning)",
    "summary": "Customer payment reminders: plans, levels, worklist, letters, emails",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-dunning/account_dunning",
    "author": "The account_dunning authors",
    "license": "LGPL-3",
    "depends": ["account", "mail"],
    "data": [
        "security/account_dunning_groups.xml",
        "security/ir.model.access.csv",
        "security/account_dunning_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "report/account_dunning_reports.xml",
        "report/account_dunning_templates.xml",
        "report/account_dunning_statement_reports.xml",
        "report/account_dunning_statement_templates.xml",
        "views/account_dunning_plan_views.xml",
        "views/account_dunning_level_views.xml",
        "views/account_dunning_views.xml",
        "views/account_dunning_aging_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_payment_method_line_views.xml",
        "wizards/account_dunning_wizard_views.xml",
        "wizards/account_dunning_statement_wizard_views.xml",
        "views/account_dunning_menus.xml",
    ],
    "demo": [
        "demo/account_dunning_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "account_dunning/static/src/**/*",
        ],
        "web.assets_tests": [
            "account_dunning/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "_post_init_hook",
    "installable": True,
    "application": False,
}
