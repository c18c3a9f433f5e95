"""``/// template | <id>``: place a fillable document template (with its Word download) on a page."""

from __future__ import annotations

from pymdownx.blocks import BlocksExtension

from .placeholder import placeholder_block


class TemplateExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 - Markdown's API name
        block_mgr.register(placeholder_block("template", takes_id=True), self.getConfigs())


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return TemplateExtension(*args, **kwargs)
