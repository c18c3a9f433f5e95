"""``/// my-results``: the teacher's saved results, with history, comparison, export and import."""

from __future__ import annotations

from pymdownx.blocks import BlocksExtension

from .placeholder import placeholder_block


class ResultsExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 - Markdown's API name
        block_mgr.register(placeholder_block("my-results", takes_id=False), self.getConfigs())


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return ResultsExtension(*args, **kwargs)
