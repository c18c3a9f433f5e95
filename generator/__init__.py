"""The site generator: data schemas, scoring engine, Word writer, form renderer, MkDocs plugin and CLI.

``engine``, ``documents`` and ``docx`` are also shipped to the browser (as the package ``kasibi``);
they use the standard library only and import nothing else from this package but each other.
"""
