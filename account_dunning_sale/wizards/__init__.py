from . import account_dunning_quotation_wizard
