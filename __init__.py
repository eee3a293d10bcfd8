from . import demo, models, report, wizards


def _post_init_hook(env):
    """Give every existing company its default plan and reminder sequence."""
    env["res.company"].search([("active", "in", (True, False))])._dunning_setup_company()
