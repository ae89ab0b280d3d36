"""Absolute addresses of the site's pages, for exports that must name them (IRIs, feeds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """The published site's base address (``site_url``), always ending in ``/``, and the address of
    its repository (``repo_url``), if known."""

    base: str = "https://example.invalid/"
    name: str = "Annotated statements archive"
    repo: str | None = None
    statement_pages: bool = False
    """Whether the site has a page per statement (the plugin's ``statement_pages`` option)."""

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    def source(self, source_id: str) -> str:
        return f"{self.base}sources/{source_id}/"

    def annotation(self, source_id: str, annotation_id: str) -> str:
        return f"{self.source(source_id)}#{annotation_id}"

    def speaker(self, speaker_id: str) -> str:
        return f"{self.base}speakers/{speaker_id}/"

    def claim_type(self, claim_type_id: str) -> str:
        return f"{self.base}claim-types/{claim_type_id}/"

    def export(self, name: str) -> str:
        return f"{self.base}exports/{name}"

    def changes(self) -> str:
        return f"{self.base}changes/"

    def commit(self, sha: str) -> str | None:
        """The repository's page of one commit (GitHub, GitLab, Gitea and Forgejo use ``/commit/``)."""
        return f"{self.repo.rstrip('/')}/commit/{sha}" if self.repo else None
