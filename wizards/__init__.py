from . import (
    account_dunning_call_wizard,
    account_dunning_charges_wizard,
    account_dunning_statement_wizard,
    account_dunning_wizard,
    account_dunning_wizard_line,
)
