from . import (
    account_dunning,
    account_dunning_channel,
    account_dunning_engine,
    account_dunning_level,
    sms_tracker,
)
