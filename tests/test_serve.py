"""`make serve` answers as hosting/ does (scripts/serve.py): precompressed copies, types, revalidation."""

from __future__ import annotations

import gzip

import pytest

from scripts.serve import HostingLikeServer, accepts


@pytest.fixture
def server(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "engine.wasm").write_bytes(b"\0asm" + bytes(2000))
    (tmp_path / "assets" / "engine.wasm.br").write_bytes(b"brotli")
    (tmp_path / "assets" / "engine.wasm.gz").write_bytes(b"gzip")
    (tmp_path / "assets" / "worker.mjs").write_text("export {};\n")
    (tmp_path / "index.html").write_text("<html><body>" + "words " * 500 + "</body></html>")
    return HostingLikeServer(builder=lambda: None, host="127.0.0.1", port=1, root=str(tmp_path))


def get(server, path: str, **headers: str) -> tuple[str, dict[str, str], bytes]:
    answer: dict = {}
    environ = {"PATH_INFO": path, **{f"HTTP_{name.upper()}": value for name, value in headers.items()}}

    def start_response(status, sent, exc_info=None):
        answer.update(status=status, headers=sent)

    body = server._serve_request(environ, start_response)
    return answer["status"], dict(answer["headers"]), b"".join(body)


def test_the_brotli_copy_goes_to_a_browser_that_accepts_it_with_the_plain_files_type(server):
    status, headers, body = get(server, "/assets/engine.wasm", accept_encoding="gzip, deflate, br")
    assert (status, body) == ("200 OK", b"brotli")
    assert headers["Content-Type"] == "application/wasm"
    assert (headers["Content-Encoding"], headers["Vary"]) == ("br", "Accept-Encoding")
    assert get(server, "/assets/engine.wasm", accept_encoding="gzip")[2] == b"gzip"
    status, headers, body = get(server, "/assets/engine.wasm")
    assert "Content-Encoding" not in headers and body.startswith(b"\0asm")


def test_modules_are_javascript_and_an_unchanged_file_is_a_304(server):
    status, headers, _ = get(server, "/assets/worker.mjs")
    assert headers["Content-Type"].startswith("text/javascript")
    assert headers["Cache-Control"] == "no-cache"
    status, _, body = get(server, "/assets/worker.mjs", if_modified_since=headers["Last-Modified"])
    assert (status, body) == ("304 Not Modified", b"")


def test_pages_are_gzipped_on_the_way(server):
    status, headers, body = get(server, "/", accept_encoding="gzip, br")
    assert (status, headers["Content-Encoding"]) == ("200 OK", "gzip")
    assert b"words words" in gzip.decompress(body)
    assert headers["Content-Length"] == str(len(body))


def test_a_coding_with_q_0_is_refused():
    assert accepts("gzip, br", "br") and not accepts("gzip, br;q=0", "br") and not accepts("gzip", "br")
