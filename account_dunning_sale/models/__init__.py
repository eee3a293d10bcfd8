from . import (
    account_dunning_job,
    account_dunning_quotation,
    account_dunning_quotation_access,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)
