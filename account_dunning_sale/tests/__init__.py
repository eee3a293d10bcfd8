from . import (
    test_dunning_quotation,
    test_dunning_quotation_channels,
    test_dunning_quotation_engine_data,
    test_dunning_quotation_gaps,
    test_dunning_quotation_pdf,
    test_dunning_quotation_rights,
    test_dunning_sale_litigation,
)
