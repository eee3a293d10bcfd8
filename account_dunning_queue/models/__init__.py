from . import account_dunning_job, account_dunning_queue_run
