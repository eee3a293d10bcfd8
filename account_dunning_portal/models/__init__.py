# the mixin first: Odoo builds the models that inherit it after it
from . import account_dunning_portal_origin  # isort: split

from . import (
    account_dunning,
    account_dunning_customer,
    account_dunning_demo,
    account_dunning_dispute,
    account_dunning_portal_submission,
    account_dunning_promise,
    payment_transaction,
    res_company,
    res_config_settings,
)
