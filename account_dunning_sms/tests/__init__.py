from . import test_dunning_sms, test_dunning_sms_lifecycle
