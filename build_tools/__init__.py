"""Annotated source archive: load -> anchor -> validate -> render, with a MkDocs plugin and a CLI."""
