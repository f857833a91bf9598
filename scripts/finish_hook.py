"""The MkDocs hook (mkdocs.yml, ``hooks:``) that runs scripts/finish.py over each build's site_dir.

Zensical ignores hooks: it runs ``python -m scripts.finish SITE_DIR`` after its build instead
(the Makefile, scripts/localsite.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.config import read_offline
from scripts.finish import FinishError, finish
from scripts.stage_runtime import StagingError, preload_list, runtime_files


def on_config(config, **kwargs):
    from mkdocs.exceptions import PluginError

    problems: list[str] = []
    offline = read_offline(config["extra"], problems)
    if problems:
        raise PluginError("\n".join(problems))
    config["extra"]["offline"] = offline  # what overrides/main.html reads
    try:  # the runtime's large files, which a page with a tool preloads (overrides/main.html)
        config["extra"]["runtime_preload"] = preload_list(runtime_files())
    except StagingError as error:
        raise PluginError(str(error)) from None
    return config


def on_post_build(config, **kwargs) -> None:
    from mkdocs.exceptions import PluginError

    try:
        finish(Path(config["site_dir"]), offline_copy=config["extra"]["offline"])
    except FinishError as error:
        raise PluginError(str(error)) from None
