from . import account_dunning_demo
