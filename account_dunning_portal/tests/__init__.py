from . import (
    test_portal_actions,
    test_portal_chatter,
    test_portal_litigation,
    test_portal_page,
    test_portal_rights,
    test_portal_security,
    test_portal_tour,
)
