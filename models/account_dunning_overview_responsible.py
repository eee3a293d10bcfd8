# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from .account_dunning_aging import AccountDunningAging
from .dunning_tools import check_dunning_access


class AccountDunningOverviewResponsible(models.Model):
    """The Collection Overview's workload: per company and reminder
    responsible, what their customers owe past its due date (Customer
    Accounts' "Overdue", in company currency) and the activities still open
    for them on the collection: on the customers with open invoices, those
    invoices, the reminders, promises and disputes of the company.

    The responsible of a customer is the engine's
    (``res.partner._get_dunning_responsibles``, in SQL beside it:
    ``_get_dunning_responsible_sql``), read from the aging report's items;
    a user with open activities and no customer overdue has a row too."""

    _name = "account.dunning.overview.responsible"
    _description = "Collection Overview by Responsible"
    _auto = False
    _order = "amount_overdue desc, activity_count desc, id"
    _rec_name = "user_id"
    _depends = {
        **AccountDunningAging._depends,
        "mail.activity": ["res_model", "res_id", "user_id", "date_deadline", "active"],
        "account.move": ["company_id", "commercial_partner_id", "dunning_date_due"],
        "account.dunning": ["company_id"],
        "account.dunning.promise": ["company_id"],
        "account.dunning.dispute": ["company_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Reminder Responsible", readonly=True)
    customer_count = fields.Integer(
        string="Customers Late", readonly=True, help="Customers with invoices past their due date."
    )
    amount_overdue = fields.Monetary(
        string="Overdue",
        readonly=True,
        help="What these customers owe past its due date, in company currency.",
    )
    activity_count = fields.Integer(
        string="Open Activities",
        readonly=True,
        help="Activities still to do by the responsible on the customers with open invoices, "
        "those invoices, the reminders, the payment promises and the disputes.",
    )
    activity_late_count = fields.Integer(
        string="Late Activities", readonly=True, help="Open activities past their due date."
    )

    def init(self):
        # read through ``_table_query``
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _activities_sql(self):
        """(``id``, ``company_id``, ``user_id``, ``date_deadline``) of the
        open activities on the collection of each company: its customers
        with open invoices (the daily job's "reminder to send"), those
        invoices, its reminders, promises and disputes. What
        ``activity_count`` counts and "Open Activities" lists."""
        return SQL(
            """
            SELECT activity.id, reminder.company_id, activity.user_id, activity.date_deadline
              FROM mail_activity activity
              JOIN account_dunning reminder ON reminder.id = activity.res_id
             WHERE activity.res_model = 'account.dunning' AND activity.active
            UNION ALL
            SELECT activity.id, promise.company_id, activity.user_id, activity.date_deadline
              FROM mail_activity activity
              JOIN account_dunning_promise promise ON promise.id = activity.res_id
             WHERE activity.res_model = 'account.dunning.promise' AND activity.active
            UNION ALL
            SELECT activity.id, dispute.company_id, activity.user_id, activity.date_deadline
              FROM mail_activity activity
              JOIN account_dunning_dispute dispute ON dispute.id = activity.res_id
             WHERE activity.res_model = 'account.dunning.dispute' AND activity.active
            UNION ALL
            SELECT activity.id, move.company_id, activity.user_id, activity.date_deadline
              FROM mail_activity activity
              JOIN account_move move ON move.id = activity.res_id
                                    AND move.dunning_date_due IS NOT NULL
             WHERE activity.res_model = 'account.move' AND activity.active
            UNION ALL
            SELECT activity.id, customer.company_id, activity.user_id, activity.date_deadline
              FROM mail_activity activity
              JOIN (SELECT DISTINCT company_id, commercial_partner_id
                      FROM account_move
                     WHERE dunning_date_due IS NOT NULL) AS customer
                   ON customer.commercial_partner_id = activity.res_id
             WHERE activity.res_model = 'res.partner' AND activity.active
            """
        )

    @api.model
    def _query(self):
        Aging = self.env["account.dunning.aging"]
        return SQL(
            """
            WITH aging AS (%(aging)s),
            overdue AS (
                SELECT company_id,
                       responsible_id AS user_id,
                       COUNT(DISTINCT partner_id) AS customer_count,
                       SUM(amount_residual) AS amount_overdue
                  FROM aging
                 WHERE amount_residual > 0 AND days_late > 0
                 GROUP BY company_id, responsible_id
            ),
            activities AS (
                SELECT activity.company_id,
                       activity.user_id,
                       COUNT(*) AS activity_count,
                       COUNT(*) FILTER (WHERE activity.date_deadline < today.today)
                           AS activity_late_count
                  FROM (%(activities)s) AS activity
                  JOIN %(todays)s ON today.company_id = activity.company_id
                 GROUP BY activity.company_id, activity.user_id
            )
            SELECT COALESCE(overdue.user_id, activities.user_id, 0)::bigint * 100000
                       + COALESCE(overdue.company_id, activities.company_id) AS id,
                   COALESCE(overdue.company_id, activities.company_id) AS company_id,
                   company.currency_id,
                   COALESCE(overdue.user_id, activities.user_id) AS user_id,
                   COALESCE(overdue.customer_count, 0) AS customer_count,
                   COALESCE(overdue.amount_overdue, 0) AS amount_overdue,
                   COALESCE(activities.activity_count, 0) AS activity_count,
                   COALESCE(activities.activity_late_count, 0) AS activity_late_count
              FROM overdue
              FULL JOIN activities ON activities.company_id = overdue.company_id
                                  AND activities.user_id = overdue.user_id
              JOIN res_company company
                   ON company.id = COALESCE(overdue.company_id, activities.company_id)
            """,
            aging=Aging._query(),
            activities=self._activities_sql(),
            todays=Aging._todays_sql(),
        )

    def action_open_customers(self):
        """The responsible's customers late, in Customer Accounts."""
        self.ensure_one()
        check_dunning_access(self.env, "read", self.env._("see the Collection Overview"))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_dunning_customer_action"
        )
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("responsible_id", "=", self.user_id.id),
            ("amount_overdue", ">", 0),
        ]
        action["context"] = {}
        action["name"] = self.env._(
            "Customers Late of %(user)s", user=self.user_id.name or self.env._("Nobody")
        )
        return action

    def _get_activity_ids(self):
        """The activities ``activity_count`` counts."""
        self.ensure_one()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM (%s) AS activity WHERE company_id = %s AND user_id = %s",
                self._activities_sql(),
                self.company_id.id,
                self.user_id.id,
            )
        )
        return [row[0] for row in rows]

    def action_open_activities(self):
        """The responsible's open activities on the collection."""
        self.ensure_one()
        check_dunning_access(self.env, "read", self.env._("see the Collection Overview"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Open Activities of %(user)s", user=self.user_id.name or self.env._("Nobody")
            ),
            "res_model": "mail.activity",
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
            "domain": [("id", "in", self._get_activity_ids())],
            "context": {"create": False},
        }
