from . import account_dunning_letter, account_dunning_statement
