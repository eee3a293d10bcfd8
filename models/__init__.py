from . import (
    account_dunning,
    account_dunning_level,
    account_dunning_plan,
    account_move,
    account_payment_method_line,
    ir_actions_report,
    mail_mail,
    res_company,
    res_config_settings,
    res_partner,
)
