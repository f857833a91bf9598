"""Shared fixtures: a strictly built site, a local web server for it, and headless Chromium."""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Server:
    root: Path
    url: str
    """With a trailing slash."""

    def page(self, path: str) -> str:
        return self.url + path.lstrip("/")


def serve(directory: Path, port: int) -> tuple[ThreadingHTTPServer, threading.Thread]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, thread


def build_site(out: Path, site_url: str, config: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    if config:
        command += ["--config-file", str(config)]
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The handbook, built with --strict and served over HTTP on 127.0.0.1."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("site")
    done = build_site(out, url)
    assert done.returncode == 0, f"strict build failed:\n{done.stdout}\n{done.stderr}"
    httpd, _ = serve(out, port)
    yield Server(out, url)
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run `make setup`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile for one test: empty storage and cache."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page


@pytest.fixture(scope="session")
def health_check_data() -> dict:
    return yaml.safe_load((ROOT / "assessments" / "health-check.yml").read_text())


def docs_titles() -> dict[str, str]:
    from macros.pages import read_pages

    return {path: info.title for path, info in read_pages(str(ROOT / "docs")).items()}


def dump(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True)
