from . import account_dunning_demo, account_dunning_demo_litigation
