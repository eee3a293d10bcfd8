# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Checks of a database installed the way a user gets it, run by
``dev/install_test.sh`` (part of ``make test``) in throwaway databases of
their own, never in the suite's database, where every addon is installed
by name: hence ``-standard``, and a tag of their own for each run."""

import sys

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import DunningCommon

# Each bridge and what must be installed for it to come on its own (its
# auto_install), written here rather than read from the manifests: a
# manifest that loses its auto_install, or asks for more, fails the check.
BRIDGES = {
    "account_dunning_sms": {"account_dunning", "sms"},
    "account_dunning_sale": {"account_dunning", "sale"},
    "account_dunning_portal": {"account_dunning", "portal", "account_payment"},
    "account_dunning_queue": {"account_dunning", "queue_job"},
}


def named_on_the_command_line(argv=None):
    """The modules the server was asked to install by name (``-i``,
    ``--init``)."""
    names, args = set(), list(sys.argv[1:] if argv is None else argv)
    for index, arg in enumerate(args):
        if arg in ("-i", "--init") and index + 1 < len(args):
            names |= set(args[index + 1].split(","))
        elif arg.startswith("--init="):
            names |= set(arg.split("=", 1)[1].split(","))
        elif arg.startswith("-i") and not arg.startswith("-i-") and len(arg) > 2:
            names |= set(arg[2:].split(","))
    return {name.strip() for name in names if name.strip()}


@tagged("post_install", "-at_install", "-standard", "dunning_install")
class TestDunningInstall(TransactionCase):
    """Each bridge arrived by itself where what it needs is installed, and
    is absent elsewhere: ``dev/install_test.sh`` installs ``account_dunning``
    with ``sms``, or with ``sale``, and never names a bridge."""

    def test_named_modules_parsed(self):
        self.assertEqual(
            named_on_the_command_line(["-d", "db", "-i", "account_dunning,sms", "--test-enable"]),
            {"account_dunning", "sms"},
        )
        self.assertEqual(named_on_the_command_line(["--init=sale", "-iweb"]), {"sale", "web"})

    def test_bridges_arrive_on_their_own(self):
        Module = self.env["ir.module.module"]
        installed = set(Module.search([("state", "=", "installed")]).mapped("name"))
        named = named_on_the_command_line()
        # a run of this check with a bridge named on its command line proves nothing
        self.assertFalse(named & set(BRIDGES), "a bridge was installed by name")
        for bridge, needs in BRIDGES.items():
            state = Module._get(bridge).state
            with self.subTest(bridge=bridge):
                if needs <= installed:
                    self.assertEqual(
                        state, "installed", f"{bridge} did not install with {sorted(needs)}"
                    )
                else:
                    self.assertNotEqual(
                        state,
                        "installed",
                        f"{bridge} installed without {sorted(needs - installed)}",
                    )

    def test_every_bridge_is_checked(self):
        """A new bridge is added to ``BRIDGES`` (and so to this check)."""
        names = self.env["ir.module.module"].search([("name", "like", "account_dunning")])
        bridges = {name for name in names.mapped("name") if name.startswith("account_dunning_")}
        self.assertEqual(bridges, set(BRIDGES))


@tagged("post_install", "-at_install", "-standard", "dunning_without_sms")
class TestDunningWithoutSms(DunningCommon):
    """A database without SMS (``dev/install_test.sh`` uninstalls Odoo's
    SMS, and so the SMS bridge): a level that sends an SMS has the
    customer called instead, and says so."""

    @freeze_time("2026-04-20")
    def test_sms_level_becomes_a_call(self):
        Module = self.env["ir.module.module"]
        self.assertNotEqual(Module._get("sms").state, "installed")
        self.assertNotEqual(Module._get("account_dunning_sms").state, "installed")
        self.plan.level_ids.write({"attach_invoices": False})
        self.first.write({"send_sms": True, "send_email": False})
        self.customer.mobile = "+33 6 12 34 56 78"
        responsible = self._user("without_sms_controller", "account.group_account_invoice")
        self.customer.dunning_responsible_id = responsible
        invoice = self._invoice(100, "2026-04-05")  # 15 days late: first reminder
        reminder = self._remind(invoice)
        self.assertEqual((reminder.level_id, reminder.state), (self.first, "sent"))
        # no longer "by SMS": a call to make, for the customer's responsible
        self.assertFalse(reminder.send_sms)
        self.assertTrue(reminder.create_activity)
        activity = reminder.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.user_id, responsible)
        self.assertEqual(activity.summary, "First reminder: contact Dupont SARL")
        self.assertTrue(
            reminder.message_ids.filtered(lambda m: "No SMS service is installed" in str(m.body))
        )
        note = str(invoice.message_ids[0].body)
        self.assertIn(reminder.name, note)
        self.assertNotIn("by SMS", note)
        self.assertIn("by phone call or meeting", note)
