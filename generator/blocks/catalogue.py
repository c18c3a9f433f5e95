"""``/// instrument-list`` and ``/// template-list``: catalogues drawn from the data, so they never go stale."""

from __future__ import annotations

from pymdownx.blocks import BlocksExtension

from .placeholder import placeholder_block


class CatalogueExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 - Markdown's API name
        block_mgr.register(placeholder_block("instrument-list", takes_id=False), self.getConfigs())
        block_mgr.register(placeholder_block("template-list", takes_id=False), self.getConfigs())


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return CatalogueExtension(*args, **kwargs)
