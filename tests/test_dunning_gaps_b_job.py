# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.bus.models.bus import json_dump

from .. import _post_init_hook
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningGapsBJob(DunningCommon):
    """The daily job run by hand from the settings (*Run Now*): the user who
    asked is told what it did, nobody else, and only for that run; the
    install hook that sets up the companies that existed before the
    module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.level_ids.write({"attach_invoices": False})
        cls.manager = cls._user(
            "gaps_b_job_manager",
            "account.group_account_manager,base.group_system,"
            "account_dunning.group_dunning_manager",
        )
        cls.other_manager = cls._user(
            "gaps_b_job_other",
            "account.group_account_manager,base.group_system,"
            "account_dunning.group_dunning_manager",
        )

    def _notifications(self, user):
        """The popups the web client of ``user`` receives (bus messages of
        type simple_notification on its partner's channel)."""
        self.env.cr.precommit.run()  # the bus rows are written at commit
        channel = json_dump((self.env.cr.dbname, "res.partner", user.partner_id.id))
        messages = [
            json.loads(bus.message)
            for bus in self.env["bus.bus"].sudo().search([("channel", "=", channel)], order="id")
        ]
        return [m["payload"] for m in messages if m["type"] == "simple_notification"]

    def test_run_now_tells_who_asked_what_the_job_did(self):
        Partner = self.env["res.partner"]
        self.first.auto_send = True
        with freeze_time("2026-04-20"):
            # 15 days late: the first reminder (10 days), sent on its own
            emailed = self.customer
            postal = Partner.create(
                {"name": "Sans Courriel", "is_company": True, "street": "3 rue", "city": "Lyon"}
            )
            manual = Partner.create({"name": "Manuel SA", "is_company": True, "email": "m@m.test"})
            broken = Partner.create({"name": "Casse SA", "is_company": True, "email": "c@c.test"})
            (emailed | postal | broken).write({"dunning_mode": "automatic"})
            for partner in emailed | postal | manual | broken:
                self._invoice(100, "2026-04-05", partner=partner)
            settings = self.env["res.config.settings"].with_user(self.manager).create({})
            action = settings.action_dunning_run_now()
            self.assertEqual(action["tag"], "display_notification")
            self.assertFalse(self._notifications(self.manager))  # nothing ran yet

            # the scheduler runs the job; one customer's data breaks it
            Engine = type(self.env["account.dunning.engine"])
            prepare = Engine._prepare_reminder_values

            def prepare_or_fail(engine, proposal, *args, **kwargs):
                if proposal["partner_id"] == broken.id:
                    raise ValueError("the customer's data is broken")
                return prepare(engine, proposal, *args, **kwargs)

            with (
                patch.object(Engine, "_prepare_reminder_values", prepare_or_fail),
                mute_logger("odoo.addons.account_dunning.models.account_dunning_job"),
            ):
                self.env.ref("account_dunning.ir_cron_dunning").method_direct_trigger()

            reminders = self.env["account.dunning"].search(
                [("partner_id", "in", (emailed | postal | manual | broken).ids)]
            )
            self.assertEqual(reminders.partner_id, emailed | postal)
            # sent: the email and the letter (2); to post: the letter (1);
            # an activity for the manual customer (1); a failure (1)
            text = (
                "Reminders sent: 2. Letters to post: 1. "
                "Activities for the responsibles: 1. Failures: 1."
            )
            self.assertEqual(
                self._notifications(self.manager),
                [
                    {
                        "type": "warning",  # a failure: not a success
                        "title": "Payment reminders: the daily job is done",
                        "message": text,
                        "sticky": True,
                    }
                ],
            )
            self.assertEqual(self.company.dunning_last_run_summary, text)
            # nobody else is told
            self.assertFalse(self._notifications(self.other_manager))
            self.assertFalse(self._notifications(self.env.user))

        with freeze_time("2026-04-21"):
            # the next run is the scheduler's own: nobody asked, nobody told
            self.env.ref("account_dunning.ir_cron_dunning").method_direct_trigger()
            self.assertEqual(len(self._notifications(self.manager)), 1)
            self.assertEqual(
                self.company.dunning_last_run_summary,
                # the broken customer's reminder goes out now; the others wait
                # for their minimum interval, the activity is still open
                "Reminders sent: 1. Letters to post: 0. "
                "Activities for the responsibles: 0. Failures: 0.",
            )

            # asked again, all went well: a success
            settings = self.env["res.config.settings"].with_user(self.manager).create({})
            settings.action_dunning_run_now()
            self.env.ref("account_dunning.ir_cron_dunning").method_direct_trigger()
            last = self._notifications(self.manager)[-1]
            self.assertEqual(len(self._notifications(self.manager)), 2)
            self.assertEqual(last["type"], "success")
            self.assertEqual(
                last["message"],
                "Reminders sent: 0. Letters to post: 0. "
                "Activities for the responsibles: 0. Failures: 0.",
            )

    @freeze_time("2026-04-20")
    def test_install_hook_sets_up_the_companies_that_existed(self):
        """Companies made before the module was installed have no plan and
        no sequence: the install hook gives each one, archived companies
        included, and nothing twice."""
        Company = type(self.env["res.company"])
        with patch.object(Company, "_dunning_setup_company", lambda companies: None):
            before = self.env["res.company"].create({"name": "Existait Avant SA"})
            archived = self.env["res.company"].create({"name": "Archivée SA"})
        archived.active = False
        companies = before | archived
        Plan = self.env["account.dunning.plan"].with_context(active_test=False)
        Sequence = self.env["ir.sequence"].sudo().with_context(active_test=False)

        def sequences(records):
            return Sequence.search(
                [("code", "=", "account.dunning"), ("company_id", "in", records.ids)]
            )

        self.assertFalse(Plan.search([("company_id", "in", companies.ids)]))
        self.assertFalse(sequences(companies))
        plans_before = Plan.search([])
        sequences_before = Sequence.search([("code", "=", "account.dunning")])

        _post_init_hook(self.env)

        for company in companies:
            plan = company.dunning_default_plan_id
            self.assertEqual(plan.company_id, company)
            self.assertTrue(plan.is_default)
            self.assertEqual((plan.name, plan.partner_type), ("Standard reminder plan", "all"))
            # the four levels users know, at 5, 15, 30 and 45 days; the first
            # two go out on their own, the formal notice as a registered letter
            self.assertEqual(
                [
                    (
                        level.name,
                        level.days,
                        level.send_email,
                        level.send_letter,
                        level.letter_kind == "formal_notice",
                        level.auto_send,
                    )
                    for level in plan.level_ids.sorted("days")
                ],
                [
                    ("Statement of unpaid invoices", 5, True, False, False, True),
                    ("Second reminder", 15, True, False, False, True),
                    ("Third reminder", 30, True, True, False, False),
                    ("Formal notice", 45, True, True, True, False),
                ],
            )
            self.assertTrue(plan.level_ids.sorted("days")[-1].letter_registered)
            sequence = sequences(company)
            self.assertEqual(len(sequence), 1)
            self.assertEqual((sequence.prefix, sequence.padding), ("R-%(y)s%(month)s-", 4))
            # the company's first reminder reference, April 2026
            self.assertEqual(
                Sequence.with_company(company).next_by_code("account.dunning"), "R-2604-0001"
            )
        # the companies that had theirs got nothing more
        self.assertEqual(
            Plan.search([]) - plans_before,
            before.dunning_default_plan_id | archived.dunning_default_plan_id,
        )
        self.assertEqual(
            Sequence.search([("code", "=", "account.dunning")]) - sequences_before,
            sequences(companies),
        )
        # run again (an update): nothing twice
        plans_after, sequences_after = (
            Plan.search([]),
            Sequence.search([("code", "=", "account.dunning")]),
        )
        _post_init_hook(self.env)
        self.assertEqual(Plan.search([]), plans_after)
        self.assertEqual(Sequence.search([("code", "=", "account.dunning")]), sequences_after)
