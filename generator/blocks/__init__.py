"""Markdown extensions: pymdown Blocks, one per module, and ``tables`` (every table named)."""
