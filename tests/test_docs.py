"""The generated docs are fresh, and the documentation the README points to exists."""

from __future__ import annotations

import re

from yusuan.docsgen import ROOT, generated


def test_generated_docs_are_fresh() -> None:
    for path, text in generated().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run make docs"


def test_readme_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((docs/[^)]+)\)", readme)
    assert links, "README links to the docs"
    for link in links:
        assert (ROOT / link).is_file(), link


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```")[1]
    assert [ln.split("#")[0].strip() for ln in block.strip().splitlines()[1:]] == ["make run", "make test"]
