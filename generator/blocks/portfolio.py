"""``/// portfolio``: the attestation page's choices and checklist, drawn from what this device keeps."""

from __future__ import annotations

from pymdownx.blocks import BlocksExtension

from .placeholder import placeholder_block


class PortfolioExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 - Markdown's API name
        block_mgr.register(placeholder_block("portfolio", takes_id=False), self.getConfigs())


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return PortfolioExtension(*args, **kwargs)
