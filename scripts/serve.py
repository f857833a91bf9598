"""`make serve`: `mkdocs serve` (build, serve, rebuild on save), but answered as hosting/ answers.

    python scripts/serve.py [--dev-addr HOST:PORT]     (any other `mkdocs serve` option too)

MkDocs' own development server sends every file uncompressed, with the type Python's
`mimetypes` guesses: on a slow link the runtime then takes more than twice as long as behind
nginx, so a reader's real speed cannot be seen. This runs MkDocs' command unchanged but with
its server answering as hosting/nginx.conf does: the build's precompressed `.br` (else `.gz`)
copy of a file to a browser that accepts it, with the plain file's type, `Content-Encoding` and
`Vary: Accept-Encoding`; pages (into which MkDocs writes its reload script) gzipped as they
go; the types of hosting/ (`.mjs` JavaScript, `.wasm` WebAssembly); and `Cache-Control:
no-cache` with a `Last-Modified` date, so that a second visit revalidates with a 304 as it does
there. The build's hooks (scripts/precompress.py) write the `.br` and `.gz` copies at every
rebuild.
"""

from __future__ import annotations

import email.utils
import gzip
import os
import posixpath
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs import livereload

# The types hosting/nginx.conf gives, by suffix.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".xml": "application/xml",
    ".zip": "application/zip",
    ".txt": "text/plain; charset=utf-8",
}
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepts(header: str, coding: str) -> bool:
    """Whether an Accept-Encoding header accepts ``coding`` (q=0 refuses it)."""
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() == coding:
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def media_type(path: str) -> str:
    return TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


class HostingLikeServer(livereload.LiveReloadServer):
    """MkDocs' live-reloading server, answering with the precompressed files and types of hosting/."""

    @classmethod
    def _guess_type(cls, path):
        return media_type(path)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        accept = environ.get("HTTP_ACCEPT_ENCODING", "")
        if not path.startswith("/livereload/") and (path + "/").startswith(self.mount_path):
            relative = path[len(self.mount_path) :] + ("index.html" if path.endswith("/") else "")
            file = os.path.join(self.root, posixpath.normpath("/" + relative).lstrip("/"))
            if not file.endswith(".html") and os.path.isfile(file):
                with self._epoch_cond:  # not while a rebuild is writing the site, as MkDocs does
                    self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                return self._send_file(environ, start_response, file, accept)

        # Pages (with MkDocs' reload script written in), redirects and errors: MkDocs' own answer,
        # gzipped on the way when the browser accepts it, as nginx does for what it has no copy of.
        answer: dict = {}

        def capture(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)

        body = self._serve_request_as_mkdocs(environ, capture)
        if body is None:
            return None
        data = b"".join(body)
        headers = [(name, value) for name, value in answer["headers"] if name.lower() != "content-length"]
        if accepts(accept, "gzip") and len(data) > 1024:
            data = gzip.compress(data, compresslevel=5, mtime=0)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        start_response(answer["status"], [*headers, ("Cache-Control", "no-cache"), ("Content-Length", str(len(data)))])
        return [data]

    def _serve_request_as_mkdocs(self, environ, start_response):
        return super()._serve_request(environ, start_response)

    def _send_file(self, environ, start_response, file: str, accept: str):
        modified = email.utils.formatdate(os.path.getmtime(file), usegmt=True)
        headers = [("Content-Type", media_type(file)), ("Cache-Control", "no-cache"), ("Last-Modified", modified)]
        if environ.get("HTTP_IF_MODIFIED_SINCE") == modified:
            start_response("304 Not Modified", headers)
            return []
        sent = file
        for coding, suffix in ENCODINGS:
            if os.path.isfile(file + suffix) and accepts(accept, coding):
                sent = file + suffix
                headers.append(("Content-Encoding", coding))
                break
        if any(os.path.isfile(file + suffix) for _, suffix in ENCODINGS):
            headers.append(("Vary", "Accept-Encoding"))
        with open(sent, "rb") as handle:
            data = handle.read()
        start_response("200 OK", [*headers, ("Content-Length", str(len(data)))])
        return [data]


def main(argv: list[str]) -> None:
    from mkdocs.__main__ import cli
    from mkdocs.commands import serve

    serve.LiveReloadServer = HostingLikeServer  # what `mkdocs serve` starts; nothing else changes
    cli(["serve", *argv], prog_name="mkdocs")


if __name__ == "__main__":
    main(sys.argv[1:])
