from . import (
    account_dunning_job,
    account_dunning_quotation,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)
