"""The handbook's own settings in mkdocs.yml are read through one checked reader."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from macros.config import read_config
from macros.errors import BuildError
from macros.pages import read_pages

PAGES = set(read_pages(str(ROOT / "docs")))


class _Loader(yaml.SafeLoader):
    """YAML as MkDocs reads it (true is a boolean), with its !ENV tag (site_url) left out."""


_Loader.add_constructor("!ENV", lambda loader, node: None)


def real_extra() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)["extra"]


def test_the_real_settings_are_read():
    settings = read_config(real_extra(), PAGES)
    assert [t.folder for t in settings.themes] == ["necessary", "purpose", "who", "where", "how", "makes-or-breaks"]
    assert [e.page for e in settings.home_extras] == ["how/managing-change.md", "toolkit/index.md"]
    assert settings.offline is True


def test_every_problem_is_named_with_its_setting():
    extra = real_extra()
    extra["themes"][2] = {**extra["themes"][2], "short": "", "colour": "red"}
    extra["themes"][3] = {**extra["themes"][3], "folder": "nowhere"}
    extra["home_extras"] = [{"label": "Gone", "page": "gone.md", "note": "x"}]
    with pytest.raises(BuildError) as caught:
        read_config(extra, PAGES)
    assert str(caught.value).splitlines()[1:] == [
        "mkdocs.yml: extra.themes[2].short: missing, or not text",
        "mkdocs.yml: extra.themes[2].colour: unknown setting (known: folder, number, short, line)",
        "mkdocs.yml: extra.themes: no page docs/nowhere/index.md for 'nowhere'",
        "mkdocs.yml: extra.home_extras: no page docs/gone.md for 'Gone'",
    ]


def test_missing_lists_are_refused():
    with pytest.raises(BuildError, match=r"extra\.themes: expected a list\nmkdocs.yml: extra\.home_extras: expected"):
        read_config({"generator": False}, PAGES)
