from . import account_dunning_engine, account_dunning_level
