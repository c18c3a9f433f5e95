"""The site generator: instrument schema, scoring engine, form renderer, MkDocs plugin and CLI.

``engine`` is the only module shipped to the browser; it imports nothing from the rest.
"""
