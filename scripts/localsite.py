"""Build the site and serve it on 127.0.0.1, and start Debian's Chromium: shared by tests and benchmark."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Debian's Chromium as root, headless, with nothing that calls out to the network.
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
# For the tests only: V8 runs WebAssembly with its baseline compiler (Liftoff) alone and does
# not also recompile hot code with its optimising one (TurboFan), which on two cores competes
# with everything else for CPU. What runs is the same; each start of Python costs less CPU
# (the browser tests took about a fifth less). The benchmark keeps a reader's browser's tiers.
FOR_TESTS = ("--js-flags=--liftoff-only",)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file server with the MIME types Pyodide needs."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        requested = getattr(self.server, "requested", None)
        if requested is not None:  # a test that reads what was asked for, in order
            requested.append(self.path)


class QuietServer(ThreadingHTTPServer):
    """Says nothing when a browser hangs up part way through a file: a test that has seen what
    it needs closes its page while the runtime may still be downloading."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(directory: Path, port: int, requested: list[str] | None = None) -> ThreadingHTTPServer:
    """Serve ``directory`` on 127.0.0.1 from a background thread; call ``shutdown()`` to stop.
    ``requested``, if given, gets the path of every request answered, in order."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = QuietServer(("127.0.0.1", port), handler)
    httpd.requested = requested
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


ENGINES = ("mkdocs", "zensical")
"""What builds the site: MkDocs with Material (the default until Material's end of life), or Zensical."""
ZENSICAL_BUILDS = ".zensical-builds"
"""Zensical builds only into a folder inside the project (scripts/README.md): each build gets one here, then moves."""


def build_site(
    out: Path, site_url: str, config: Path | None = None, engine: str = "mkdocs"
) -> subprocess.CompletedProcess:
    """A strict build into ``out`` for a site served at ``site_url``, finished (scripts/finish.py)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    if engine == "mkdocs":  # the hook scripts/finish_hook.py finishes the site
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
        if config:
            command += ["--config-file", str(config)]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return _build_with_zensical(out, config or ROOT / "mkdocs.yml", env)


def _build_with_zensical(out: Path, config: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``zensical build --strict``, then ``python -m scripts.finish``: Zensical ignores MkDocs hooks.

    Zensical takes its output folder from mkdocs.yml's ``site_dir`` (HANDBOOK_SITE_DIR here) and
    refuses one outside the project: so it builds into a folder of its own under
    .zensical-builds/, which then moves to ``out``. Builds into different folders can run at once.
    """
    project = config.parent
    (project / ZENSICAL_BUILDS).mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="build-", dir=project / ZENSICAL_BUILDS))
    command = [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config)]
    try:
        built = subprocess.run(
            command,
            cwd=project,
            env={**env, "HANDBOOK_SITE_DIR": str(scratch / "site")},
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0 or not (scratch / "site").is_dir():
            return built
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        shutil.move(scratch / "site", out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    finish = [sys.executable, "-m", "scripts.finish", str(out), "--config", str(config)]
    finished = subprocess.run(finish, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return subprocess.CompletedProcess(
        [*command, "&&", *finish],
        finished.returncode,
        built.stdout + finished.stdout,
        built.stderr + finished.stderr,
    )


def launch_chromium(playwright, extra_args: tuple[str, ...] = ()):
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make setup`")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])


NGINX = Path("/usr/sbin/nginx")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
ACCESS_FORMAT = "$request_uri $status $bytes_sent"
PLACEHOLDER = re.compile(r"@[A-Z_]+@")


class NginxError(RuntimeError):
    pass


def nginx_snippet(site: Path, port: int, prefix: str = "/handbook/") -> str:
    """hosting/nginx.conf with its placeholders filled in, and nothing else changed but the prefix."""
    snippet = (ROOT / "hosting" / "nginx.conf").read_text()
    for name, value in {"LISTEN": f"127.0.0.1:{port}", "SERVER": "127.0.0.1", "SITE_DIR": str(site)}.items():
        snippet = snippet.replace(f"@{name}@", value)
    left = sorted(set(PLACEHOLDER.findall(snippet)))
    if left:
        raise NginxError(f"hosting/nginx.conf has placeholders that nothing fills: {left}")
    if prefix != "/handbook/":
        snippet = snippet.replace("/handbook", prefix.rstrip("/"))
    return snippet


def start_nginx(site: Path, port: int, work: Path, prefix: str = "/handbook/") -> tuple[subprocess.Popen, Path]:
    """Serve ``site`` under ``prefix`` with hosting/nginx.conf itself; returns the process and its access log.

    Every file nginx writes stays in ``work``. The log has one line per request: the address, the
    status and the bytes sent (headers and body, as compressed on the wire), so that what a worker
    fetched is counted too. Raises NginxError if nginx is missing, refuses the configuration or
    does not listen.
    """

    for needed, package in ((NGINX, "nginx-light"), (BROTLI_MODULE, "libnginx-mod-http-brotli-static")):
        if not needed.exists():
            raise NginxError(f"{needed} is missing: run `make setup-test` (it installs Debian's {package})")
    (work / "handbook.conf").write_text(nginx_snippet(site, port, prefix))
    temp = "\n".join(f"    {n}_temp_path {work / n};" for n in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the tmp dir
    log = work / "access.log"
    # Debian's own /etc/nginx/nginx.conf loads the installed modules from modules-enabled/; here
    # the one the snippet needs is named with its full path (the prefix is ``work``).
    (work / "nginx.conf").write_text(
        f"""{user}load_module {BROTLI_MODULE};
daemon off;
worker_processes 1;
pid {work / "nginx.pid"};
error_log {work / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    log_format bytes '{ACCESS_FORMAT}';
    access_log {log} bytes;
{temp}
    include {work / "handbook.conf"};
}}
"""
    )
    command = [str(NGINX), "-c", str(work / "nginx.conf"), "-p", f"{work}/", "-e", str(work / "error.log")]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise NginxError(f"nginx rejects the configuration:\n{checked.stderr}")
    return listening(
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        port,
        work,
        log,
        NginxError("nginx did not start"),
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


APACHE = Path("/usr/sbin/apache2")
APACHE_MODULES = Path("/usr/lib/apache2/modules")
# What hosting/apache.conf names (its first comment), and what any Apache needs to run at all
# (Debian builds unixd, log_config and logio in).
APACHE_NEEDS = (
    "mpm_event",
    "authz_core",
    "dir",
    "alias",
    "mime",
    "headers",
    "filter",
    "deflate",
    "rewrite",
)
APACHE_SITE = "/srv/partnership-handbook"
"""The site's folder as hosting/apache.conf names it: replaced by the built site's."""


class ApacheError(RuntimeError):
    pass


def apache_snippet(site: Path, prefix: str = "/handbook/") -> str:
    """hosting/apache.conf with the site's folder filled in, and nothing else changed but the prefix."""
    snippet = (ROOT / "hosting" / "apache.conf").read_text()
    if f'Alias "/handbook/" "{APACHE_SITE}/"' not in snippet:
        raise ApacheError(f"hosting/apache.conf no longer serves {APACHE_SITE} at /handbook/")
    snippet = snippet.replace(APACHE_SITE, str(site))
    if prefix != "/handbook/":
        snippet = snippet.replace("/handbook", prefix.rstrip("/"))
    return snippet


def start_apache(site: Path, port: int, work: Path, prefix: str = "/handbook/") -> tuple[subprocess.Popen, Path]:
    """Serve ``site`` under ``prefix`` with hosting/apache.conf itself, in Debian's Apache on a
    loopback port; returns the process and its access log (as start_nginx does).

    A small httpd.conf loads the modules the snippet names from Debian's module folder and
    includes the snippet; every file Apache writes stays in ``work``. Started as root, Apache
    serves as www-data (it refuses to run as root), so ``site`` and ``work`` must be readable
    by others: use a folder outside pytest's private temporary folder. Raises ApacheError if
    Apache is missing, refuses the configuration or does not listen.
    """

    if not APACHE.exists():
        raise ApacheError(f"{APACHE} is missing: run `make setup-test` (it installs Debian's apache2)")
    (work / "handbook.conf").write_text(apache_snippet(site, prefix))
    modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES / f'mod_{name}.so'}" for name in APACHE_NEEDS)
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    log = work / "access.log"
    (work / "empty").mkdir(exist_ok=True)
    (work / "httpd.conf").write_text(
        f"""{modules}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
{user}ServerRoot {work}
DefaultRuntimeDir {work}
PidFile {work / "apache.pid"}
Mutex file:{work} default
ErrorLog {work / "error.log"}
LogLevel warn
TypesConfig /etc/mime.types
StartServers 1
ServerTokens Prod
LogFormat "%U%q %>s %O" bytes
CustomLog {log} bytes
DocumentRoot {work / "empty"}
Include {work / "handbook.conf"}
"""
    )
    command = [str(APACHE), "-f", str(work / "httpd.conf"), "-DFOREGROUND"]
    checked = subprocess.run([str(APACHE), "-f", str(work / "httpd.conf"), "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise ApacheError(f"Apache rejects the configuration:\n{checked.stderr}")
    return listening(
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        port,
        work,
        log,
        ApacheError("Apache did not start"),
    )


def listening(
    process: subprocess.Popen, port: int, work: Path, log: Path, failure: RuntimeError
) -> tuple[subprocess.Popen, Path]:
    """The server and its access log once it listens on ``port``; else ``failure``, with its error log."""
    import time

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, log
        except OSError:
            time.sleep(0.1)
    process.kill()
    process.wait()
    errors = work / "error.log"
    raise type(failure)(f"{failure}:\n{errors.read_text() if errors.exists() else ''}")


def main(argv: list[str] | None = None) -> None:
    """Serve a built site: ``python -m scripts.localsite SITE_DIR [--host H] [--port P]`` (Ctrl+C stops)."""
    import argparse

    parser = argparse.ArgumentParser(description="Serve a built site with the types Pyodide needs.")
    parser.add_argument("site", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    handler = functools.partial(QuietHandler, directory=str(args.site))
    with QuietServer((args.host, args.port), handler) as httpd:
        print(f"serving {args.site} on http://{args.host}:{args.port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()


if __name__ == "__main__":
    main()
