from . import (
    account_dunning,
    account_dunning_access,
    account_dunning_behaviour,
    account_dunning_channel,
    account_dunning_channel_mixin,
    account_dunning_charge_waiver,
    account_dunning_charges,
    account_dunning_charges_billing,
    account_dunning_dispute,
    account_dunning_engine,
    account_dunning_engine_preview,
    account_dunning_engine_send,
    account_dunning_job,
    account_dunning_level,
    account_dunning_lifecycle,
    account_dunning_line,
    account_dunning_plan,
    account_dunning_priority,
    account_dunning_promise,
    account_dunning_rate,
    account_dunning_registered,
    account_move,
    account_move_dunning_charges,
    account_move_dunning_state,
    account_move_line,
    account_move_payment_behaviour,
    account_payment_method_line,
    dunning_engine_owned,
    dunning_inputs,
    dunning_tools,
    ir_actions_report,
    ir_module_module,
    ir_qweb,
    mail_mail,
    res_company,
    res_company_payment_behaviour,
    res_config_settings,
    res_partner,
    res_partner_dunning_inputs,
    res_partner_dunning_notice,
    res_partner_payment_behaviour,
    res_partner_reminder_email,
    res_partner_statement,
)

# isort: off
# last: its report query reads the columns this module adds to partners,
# which must exist when the view is made
from . import account_dunning_aging, account_dunning_cash_forecast, account_dunning_customer

# after them: their queries are parts of the overview's
from . import (
    account_dunning_overview,
    account_dunning_overview_month,
    account_dunning_overview_responsible,
)

# isort: on
