# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

from .dunning_inputs import PERCENT_BOUNDS, check_bounds


class ResPartner(models.Model):
    """What users type in a customer's reminder settings, and who reads
    them: apart from ``res_partner.py`` because it is about input and
    rights, not about reminders.

    The reminder fields of customers are for reminder users and read-only
    accountants (``DUNNING_READ_GROUPS``): portal users and visitors never
    read them, other internal users do not see them."""

    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        check_bounds(self, vals_list, {"dunning_penalty_rate": PERCENT_BOUNDS})
        return super().create(vals_list)

    def write(self, vals):
        check_bounds(self, [vals], {"dunning_penalty_rate": PERCENT_BOUNDS})
        return super().write(vals)

    def copy_data(self, default=None):
        """A duplicated customer keeps its reminder settings that are
        copied (Do Not Remind, its customer type) whoever duplicates it: a
        salesperson, who may not read them, copies them unseen."""
        hidden = [
            fname
            for fname, field in self._fields.items()
            if fname.startswith("dunning_") and field.copy and not field.is_accessible(self.env)
        ]
        if not hidden:
            return super().copy_data(default=default)
        vals_list = []
        for partner in self:
            values = {
                fname: partner._fields[fname].convert_to_write(partner.sudo()[fname], partner)
                for fname in hidden
            }
            vals_list += super(ResPartner, partner).copy_data(default={**values, **(default or {})})
        return vals_list
