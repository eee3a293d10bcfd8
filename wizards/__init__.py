from . import (
    account_dunning_call_wizard,
    account_dunning_charges_wizard,
    account_dunning_handoff_wizard,
    account_dunning_legal_file_wizard,
    account_dunning_litigation_wizard,
    account_dunning_post_wizard,
    account_dunning_preview,
    account_dunning_receipt_wizard,
    account_dunning_statement_wizard,
    account_dunning_wizard,
    account_dunning_wizard_line,
)
