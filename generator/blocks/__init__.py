"""Markdown extensions (pymdown Blocks), one per module."""
