# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import sys

from odoo.tests import TransactionCase, tagged


def named_on_the_command_line():
    """The modules the server was asked to install (``-i``/``--init``)."""
    names, args = set(), sys.argv[1:]
    for index, arg in enumerate(args):
        if arg in ("-i", "--init") and index + 1 < len(args):
            names |= set(args[index + 1].split(","))
        elif arg.startswith("--init="):
            names |= set(arg.split("=", 1)[1].split(","))
        elif arg.startswith("-i") and not arg.startswith("-i-"):
            names |= set(arg[2:].split(","))
    return {name.strip() for name in names if name.strip()}


@tagged("at_install", "-post_install")
class TestDunningQueueInstall(TransactionCase):
    """The bridge installs on its own when the addon and the job queue are
    there: ``make test`` installs ``account_dunning`` and ``queue_job`` and
    never names it."""

    def test_installed_on_its_own(self):
        module = self.env["ir.module.module"].search([("name", "=", "account_dunning_queue")])
        self.assertTrue(module.auto_install)
        # both dependencies are needed for it to come by itself
        self.assertEqual(
            {dep.name: dep.auto_install_required for dep in module.dependencies_id},
            {"account_dunning": True, "queue_job": True},
        )
        named = named_on_the_command_line()
        if named:
            # an installation from the command line (make test): the bridge
            # was not one of the modules named there
            self.assertNotIn("account_dunning_queue", named)
