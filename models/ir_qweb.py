# Copyright 2026 The account_dunning authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import models, tools

# What the compiled code of a template depends on, besides its source: the
# context keys that Odoo's own cache of view templates uses
# (``_get_template_cache_keys``, which ``mail`` extends with its restricted
# rendering mode) and the other keys ``_generate_code`` reads.
COMPILE_CONTEXT_KEYS = (
    "is_t_cache_disabled",
    "dev_mode",
    "preserve_comments",
    "translatable",
    "webp_as_jpg",
    "minimal_qcontext",
    "raise_if_not_found",
)


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Odoo compiles a template given as an element (the body of an email
        template) again for each record it renders: 2,000 reminder emails
        compiled their template 2,000 times, a quarter of the daily job.
        Under the context key ``dunning_compile_once`` (set by the reminder
        emails, ``account.dunning.channel._render_emails``), the code
        compiled from such an element is kept, keyed by its source and by
        every context key the compiled code depends on, as Odoo keeps that
        of its view templates: the same source renders with the same code,
        an edited template is another key."""
        if not (
            isinstance(template, etree._Element) and self.env.context.get("dunning_compile_once")
        ):
            return super()._compile(template)
        self = self.with_context(is_t_cache_disabled=True)
        context = self.env.context
        key = (
            etree.tostring(template),
            tuple(context.get(name) for name in self._get_template_cache_keys()),
            tuple(context.get(name) for name in COMPILE_CONTEXT_KEYS),
        )
        return self._dunning_compile_cached(key, template)

    @tools.ormcache("key", cache="templates")
    def _dunning_compile_cached(self, key, template):
        return super()._compile(template)
