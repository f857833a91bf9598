"""Finish a built site, whichever engine built it: the runtime, the bibliography, sw.js, .br and .gz.

    python -m scripts.finish SITE_DIR [--config mkdocs.yml]

In this order, because each step reads what the one before wrote:

1. the browser runtime (scripts/stage_runtime.py): Pyodide's files, the standard library zip,
   the glue and runtime.json, into assets/pyodide/ and assets/widgets/;
2. the bibliography beside the References page (references/references.json), for reference
   managers to import;
3. the service worker, sw.js (scripts/offline.py), which hashes and lists everything above;
   with ``extra.offline: false`` none, and any left by an earlier build is removed;
4. a .br and a .gz copy of every compressible file (scripts/precompress.py).

MkDocs runs it through the thin hook scripts/finish_hook.py (mkdocs.yml, ``hooks:``); Zensical
ignores hooks, so ``make build ENGINE=zensical`` runs this command after ``zensical build``.
Nothing is written outside SITE_DIR but the caches in .cache/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.config import read_offline
from scripts import offline, precompress, stage_runtime

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = Path("sources") / "references.json"
PUBLISHED_REFERENCES = Path("references") / "references.json"


class FinishError(RuntimeError):
    pass


def publish_references(site: Path, project: Path = ROOT) -> None:
    target = site / PUBLISHED_REFERENCES
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project / REFERENCES, target)


def finish(site: Path, *, offline_copy: bool = True, project: Path = ROOT) -> dict[str, int]:
    """Finish the built site in ``site``; how many files each step wrote."""
    try:
        runtime = stage_runtime.write_runtime(site)
    except stage_runtime.StagingError as error:
        raise FinishError(str(error)) from None
    publish_references(site, project)
    if offline_copy:
        offline.write_worker(site)
    else:
        for stale in site.glob(offline.WORKER + "*"):
            stale.unlink()
    return {"runtime": runtime, "worker": int(offline_copy), "compressed": precompress.precompress_tree(site)}


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml's tags without acting on them: only ``extra`` is wanted here."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def offline_setting(config_file: Path) -> bool:
    """``extra.offline`` of mkdocs.yml (true if absent); FinishError if it is not true or false."""
    data = yaml.load(config_file.read_text("utf-8"), Loader=_Loader) or {}
    problems: list[str] = []
    value = read_offline(data.get("extra") or {}, problems)
    if problems:
        raise FinishError("\n".join(problems))
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site's folder")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="read for extra.offline")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        sys.exit(f"finish: {args.site} is not a folder: build the site first")
    try:
        counts = finish(args.site, offline_copy=offline_setting(args.config))
    except FinishError as error:
        sys.exit(f"finish: {error}")
    print(
        f"finished {args.site}: runtime ({counts['runtime']} files), "
        f"{'sw.js' if counts['worker'] else 'no service worker (extra.offline: false)'}, "
        f"{counts['compressed']} files compressed"
    )


if __name__ == "__main__":
    main()
