"""Build the handbook strictly and zip it for an intranet web server.

    python scripts/package_site.py [--site-url URL] [--out DIR] [--engine mkdocs|zensical]

Writes DIR/partnership-handbook-<version>.zip (DIR is dist/ by default). Inside, one top
folder, partnership-handbook-<version>/, holds the whole static site and a VERSION file.
<version> is the project's version from pyproject.toml, followed by the short git commit
when the source is a git checkout. The site is built for SITE_URL (the --site-url option,
else the SITE_URL environment variable, else http://localhost/): set it to the address the
handbook will be served from.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.localsite import ENGINES, ROOT, build_site

NAME = "partnership-handbook"
DEFAULT_SITE_URL = "http://localhost/"
DEFAULT_OUT = ROOT / "dist"
RUNTIME = Path("assets") / "widgets" / "runtime.json"  # in the built site, written by the build's hook
# Already compressed: stored as they are rather than deflated again.
STORED = {".zip", ".whl", ".gz", ".png"}
# An inline <script> that the browser runs: no src, and not a JSON data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>(.*?)</script>", re.S)


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def git_commit() -> str:
    """The short commit of the checkout, or "" outside git (a source tarball, no git)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def build_date() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)


def inline_script_hashes(site: Path) -> list[str]:
    """The Content-Security-Policy sources ('sha256-...') for every inline script the site runs.

    Material for MkDocs writes a few small scripts into each page; one of them, in 404.html,
    names the site's path, so a build for another path needs another hash.
    """
    hashes = set()
    for page in site.rglob("*.html"):
        for script in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            hashes.add("'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'")
    return sorted(hashes)


def version_text(version: str, commit: str, built: datetime, site_url: str, pyodide: str, hashes: list[str]) -> str:
    return (
        f"Partnerships in health and social care: a practical handbook\n"
        f"version: {version}\n"
        f"commit: {commit or 'unknown'}\n"
        f"built: {built.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
        f"built for: {site_url}\n"
        f"pyodide: {pyodide}\n"
        f"inline script hashes for Content-Security-Policy: {' '.join(hashes)}\n"
    )


def write_zip(site: Path, archive: Path, top: str, version_file: str, built: datetime) -> None:
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".zip.part")
    stamp = built.timetuple()[:6]
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for file in sorted(p for p in site.rglob("*") if p.is_file()):
            name = f"{top}/{file.relative_to(site).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if file.suffix in STORED else zipfile.ZIP_DEFLATED
            bundle.writestr(info, file.read_bytes())
        info = zipfile.ZipInfo(f"{top}/VERSION", date_time=stamp)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        bundle.writestr(info, version_file)
    partial.replace(archive)


def package(site_url: str, out: Path, engine: str = "mkdocs") -> Path:
    version = project_version()
    commit = git_commit()
    full_version = f"{version}-{commit}" if commit else version
    top = f"{NAME}-{full_version}"
    built = build_date()
    with tempfile.TemporaryDirectory(prefix="handbook-package-") as scratch:
        site = Path(scratch) / "site"
        done = build_site(site, site_url, engine=engine)
        if done.returncode != 0:
            sys.exit(f"package_site: the strict build failed:\n{done.stdout}{done.stderr}")
        pyodide = json.loads((site / RUNTIME).read_text())["pyodide"]
        archive = out / f"{top}.zip"
        about = version_text(full_version, commit, built, site_url, pyodide, inline_script_hashes(site))
        write_zip(site, archive, top, about, built)
    return archive


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site-url",
        default=os.environ.get("SITE_URL") or DEFAULT_SITE_URL,
        help="the address the site will be served from (default: $SITE_URL, else %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the zip (default: dist/)")
    parser.add_argument("--engine", choices=ENGINES, default=ENGINES[0], help="what builds the site (default: mkdocs)")
    args = parser.parse_args(argv)
    if not args.site_url.endswith("/"):
        args.site_url += "/"
    archive = package(args.site_url, args.out.resolve(), args.engine)
    size = archive.stat().st_size
    print(f"{archive} ({size / 1_000_000:.1f} MB, {size:,} bytes), built for {args.site_url}")


if __name__ == "__main__":
    main()
