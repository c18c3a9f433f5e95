"""``/// school``: the school summary, drawn in the browser from the teachers' share files (site_src/js/school/)."""

from __future__ import annotations

from pymdownx.blocks import BlocksExtension

from .placeholder import placeholder_block


class SchoolExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 - Markdown's API name
        block_mgr.register(placeholder_block("school", takes_id=False), self.getConfigs())


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return SchoolExtension(*args, **kwargs)
