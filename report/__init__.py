from . import (
    account_dunning_charges_report,
    account_dunning_legal_file,
    account_dunning_letter,
    account_dunning_letter_text,
    account_dunning_statement,
)
