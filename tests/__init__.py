from . import test_dunning_plan, test_dunning_security, test_dunning_state
