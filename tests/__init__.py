from . import (
    test_dunning_accounting_cost,
    test_dunning_cron,
    test_dunning_documents,
    test_dunning_engine,
    test_dunning_i18n,
    test_dunning_letter,
    test_dunning_plan,
    test_dunning_scale,
    test_dunning_security,
    test_dunning_state,
    test_dunning_tour,
    test_dunning_workbench,
)
