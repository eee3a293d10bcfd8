from . import (
    test_dunning_cron,
    test_dunning_letter,
    test_dunning_plan,
    test_dunning_scale,
    test_dunning_security,
    test_dunning_state,
    test_dunning_tour,
    test_dunning_workbench,
)
