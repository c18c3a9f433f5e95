"""``/// instrument | <id>``: place a self-assessment on a page.

The block only marks the spot; the MkDocs plugin, which holds the validated
instruments, replaces the mark with the rendered form. Keeping the data out of
the Markdown extension lets the same page syntax work with any renderer.
"""

from __future__ import annotations

from pymdownx.blocks import BlocksExtension

from .placeholder import placeholder_block


class InstrumentExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 - Markdown's API name
        block_mgr.register(placeholder_block("instrument", takes_id=True), self.getConfigs())


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return InstrumentExtension(*args, **kwargs)
