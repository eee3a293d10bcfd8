from . import account_dunning_call_wizard, account_dunning_wizard
