from . import test_dunning_quotation
