from . import test_dunning_queue, test_dunning_queue_install
