# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Once this module's terms are loaded in ``langs``, translate the
        default reminder plans into them too.

        The plans are records, written in the languages installed when they
        were created: without this, a language installed later (Settings,
        the language wizard, "Update Terms") would leave them in English and
        its customers would get English letters. Same hook as ``account``
        uses for its charts of accounts, and for the same reason deferred to
        the end of the loading when the registry is not ready yet: a module
        loaded later may extend the plan's default values.
        """
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        langs = [lang for lang in langs if lang != "en_US"]
        if "account_dunning" not in modules or not langs:
            return res
        registry = self.env.registry
        if registry.loaded:
            self._dunning_translate_default_plans(langs, overwrite)
        else:
            pending = getattr(registry, "_dunning_pending_terms", None) or ([], False)
            registry._dunning_pending_terms = (pending[0] + langs, pending[1] or overwrite)
        return res

    def _register_hook(self):
        super()._register_hook()
        pending = getattr(self.env.registry, "_dunning_pending_terms", None)
        if pending:
            del self.env.registry._dunning_pending_terms
            self._dunning_translate_default_plans(*pending)

    def _dunning_translate_default_plans(self, langs, overwrite):
        """The default plans of all companies, archived ones included, in
        ``langs``."""
        companies = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("dunning_default_plan_id", "!=", False)])
        )
        companies._dunning_translate_default_plans(langs, overwrite=overwrite)
