from . import account_dunning_letter
