"""Write a `.br` (brotli, quality 11) and a `.gz` (gzip, level 9) beside every compressible file.

    python scripts/precompress.py SITE_DIR

A web server that finds them sends them as they are (nginx `gzip_static` and `brotli_static`,
Apache and IIS rules in hosting/), so the reader gets the smallest file and the server does
no work. The output depends on the content only (gzip with no name and no time stamp), so the
same site gives the same bytes. Results are kept in .cache/precompress/ by content hash: a
rebuild compresses only what changed (brotli 11 takes about 30 s for Pyodide's WebAssembly),
on every core at once.

Run by scripts/finish.py after every build, with either engine, over the whole built site: the
runtime that scripts/stage_runtime.py adds to it too.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "precompress"
# Text and WebAssembly; python's stdlib zip is stored uncompressed on purpose (see stage_runtime).
COMPRESSIBLE = {".wasm", ".mjs", ".js", ".json", ".css", ".html", ".svg", ".xml", ".txt", ".map", ".zip"}
# Zips are compressed only where we wrote them stored (uncompressed): the runtime's own zip.
ZIP_NAMES = {"stdlib.zip"}


def compressible(name: str) -> bool:
    suffix = Path(name).suffix
    return suffix in COMPRESSIBLE and (suffix != ".zip" or Path(name).name in ZIP_NAMES)


def wanted(file: Path) -> bool:
    return compressible(file.name) and file.is_file()


def compressed(data: bytes) -> tuple[bytes, bytes]:
    """(brotli 11, gzip 9) of ``data``, from the cache when it has been done before."""
    key = hashlib.sha256(data).hexdigest()
    br, gz = CACHE / f"{key}.br", CACHE / f"{key}.gz"
    if br.exists() and gz.exists():
        return br.read_bytes(), gz.read_bytes()
    results = brotli.compress(data, quality=11), gzip.compress(data, compresslevel=9, mtime=0)
    CACHE.mkdir(parents=True, exist_ok=True)
    for target, body in zip((br, gz), results, strict=True):
        # A name of its own: another thread or build may be writing the same entry at this moment.
        handle, partial = tempfile.mkstemp(prefix=target.name, suffix=".part", dir=CACHE)
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(partial, target)
    return results


def _write_if_changed(target: Path, data: bytes) -> None:
    if target.exists() and target.read_bytes() == data:
        return
    target.write_bytes(data)


def precompress_file(file: Path) -> None:
    br, gz = compressed(file.read_bytes())
    _write_if_changed(file.with_name(file.name + ".br"), br)
    _write_if_changed(file.with_name(file.name + ".gz"), gz)


def precompress_tree(folder: Path) -> int:
    files = [file for file in sorted(folder.rglob("*")) if wanted(file)]
    # brotli and zlib let go of the GIL while they compress: one thread a core.
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(precompress_file, files))
    return len(files)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: python scripts/precompress.py SITE_DIR")
    print(f"precompressed {precompress_tree(Path(sys.argv[1]))} files in {sys.argv[1]}")
