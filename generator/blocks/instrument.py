"""``/// instrument | <id>``: place a self-assessment on a page.

The block only marks the spot; the MkDocs plugin, which holds the validated
instruments, replaces the mark with the rendered form. Keeping the data out of
the Markdown extension lets the same page syntax work with any renderer.
"""

from __future__ import annotations

from xml.etree import ElementTree

from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

PLACEHOLDER_CLASS = "kasibi-placeholder"


class InstrumentBlock(Block):
    NAME = "instrument"
    ARGUMENT = True

    def on_create(self, parent: ElementTree.Element) -> ElementTree.Element:
        attributes = {"class": PLACEHOLDER_CLASS, "data-instrument-id": self.argument.strip()}
        return ElementTree.SubElement(parent, "div", attributes)


class InstrumentExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):  # noqa: N802 - Markdown's API name
        block_mgr.register(InstrumentBlock, self.getConfigs())


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return InstrumentExtension(*args, **kwargs)
