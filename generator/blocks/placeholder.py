"""The mark every generator block leaves in a page for the plugin to fill in."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from pymdownx.blocks.block import Block

PLACEHOLDER_CLASS = "kasibi-placeholder"
# Markdown may write the attributes in any order; both are matched by name.
PLACEHOLDER = re.compile(
    rf'<div class="{PLACEHOLDER_CLASS}" '
    r'(?=[^>]*data-kind="(?P<kind>[a-z-]+)")(?=[^>]*data-id="(?P<id>[^"]*)")[^>]*></div>'
)


def placeholder_block(kind: str, takes_id: bool) -> type[Block]:
    """A Blocks class ``/// <kind> | <id>`` (or ``/// <kind>``) that leaves a placeholder div."""

    class PlaceholderBlock(Block):
        NAME = kind
        ARGUMENT = takes_id  # True: the id is required; False: no argument

        def on_create(self, parent: ElementTree.Element) -> ElementTree.Element:
            block_id = self.argument.strip() if takes_id else ""
            return ElementTree.SubElement(
                parent, "div", {"class": PLACEHOLDER_CLASS, "data-kind": kind, "data-id": block_id}
            )

    PlaceholderBlock.__name__ = f"{kind.title().replace('-', '')}Block"
    return PlaceholderBlock
