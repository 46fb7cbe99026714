"""The package layout keeps its promises: presentation and pipeline never load the web app,
every stage module imports on its own (no import circles), and public names stay importable."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(m for m in sys.modules if m.startswith('storyline')))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return set(out.split())


def test_pipeline_and_presentation_do_not_load_the_web_app():
    loaded = _loaded_after("import storyline.pipeline, storyline.present.report, storyline.present.export")
    assert "storyline.present.views" in loaded
    assert not {m for m in loaded if m == "storyline.web" or m.startswith("storyline.web.")}


@pytest.mark.parametrize("module", [
    "storyline.stories.board", "storyline.stories.index", "storyline.stories.features", "storyline.stories.assign",
    "storyline.copies.candidates", "storyline.copies.detect", "storyline.copies.signature", "storyline.text",
    "storyline.invariants",
])
def test_each_stage_module_imports_first(module):
    """A module imported before its package's siblings: an import circle would fail here."""
    assert module in _loaded_after(f"import {module}")


def test_public_names_come_from_the_packages():
    from storyline.copies import ArticleSignature, closest_originals, find_copies, signature  # noqa: F401
    from storyline.present.report import highlight, render, write  # noqa: F401
    from storyline.stories import ArticleFeatures, StoryIndex, StoryParams, assign_stories, batch_features  # noqa: F401
