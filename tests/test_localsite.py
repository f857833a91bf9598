"""The static server the browser tests and the benchmark use (scripts/localsite.py)."""

from __future__ import annotations

import urllib.request

import pytest

from scripts.localsite import free_port, serve


@pytest.fixture
def server(tmp_path):
    (tmp_path / "engine.mjs").write_text("export {};\n")
    httpd = serve(tmp_path, free_port())
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_it_serves_modules_with_a_script_type(server):
    with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/engine.mjs") as reply:
        assert reply.headers["Content-Type"] == "text/javascript"


@pytest.mark.parametrize("hang_up", [ConnectionResetError, BrokenPipeError])
def test_a_browser_hanging_up_mid_file_is_not_reported_but_a_fault_is(server, capsys, hang_up):
    for error in (hang_up(), ValueError("a fault in the handler")):
        try:
            raise error
        except Exception:
            server.handle_error(None, ("127.0.0.1", 1))
    report = capsys.readouterr().err
    assert hang_up.__name__ not in report
    assert "ValueError: a fault in the handler" in report
