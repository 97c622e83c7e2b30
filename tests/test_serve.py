"""`mkdocs serve` (what `make serve` runs) picks up an edited claim file and serves its new page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import FIXTURES, TODAY_EPOCH, copy_root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _get(url):
            return True
        time.sleep(0.5)
    return False


def test_editing_a_claim_updates_the_served_page(tmp_path: Path) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": TODAY_EPOCH}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(root / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
        ],  # live reload on: without it MkDocs watches nothing
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = f"http://127.0.0.1:{port}/en/claims/bridge-length/"
        assert _wait_for(page, "The bridge is 1,200 metres long.", 60), "mkdocs serve did not come up"
        claim = root / "claims/bridge-length.yml"
        text = claim.read_text(encoding="utf-8").replace(
            "en: The bridge is 1,200 metres long.", "en: The bridge is exactly 1,200 metres long."
        )
        claim.write_text(text, encoding="utf-8")
        assert _wait_for(page, "The bridge is exactly 1,200 metres long.", 60), "the edit never reached the page"
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def _preview(root: Path, port: int, log: Path) -> Iterator[None]:
    """``python -m build_tools serve`` on ``root``, printing into ``log``, until the block ends."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": TODAY_EPOCH}
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "build_tools", "serve", "--root", str(root), "--address", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_the_preview_command_follows_edits_and_keeps_the_last_good_version(tmp_path: Path) -> None:
    """`make serve` runs `python -m build_tools serve`: an edit reaches the page; a content error is
    printed located while the last good version stays served; fixed, the preview catches up."""
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    port = _free_port()
    log = tmp_path / "preview.log"
    with _preview(root, port, log):
        page = f"http://127.0.0.1:{port}/en/claims/bridge-length/"
        assert _wait_for(page, "The bridge is 1,200 metres long.", 60), "the preview did not come up"
        claim = root / "claims/bridge-length.yml"
        text = claim.read_text(encoding="utf-8")
        claim.write_text(text.replace("verdict: mostly-accurate", "verdict: mostly-acurate"), encoding="utf-8")
        deadline = time.monotonic() + 30
        while "claims/bridge-length.yml:14:" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "claims/bridge-length.yml:14:" in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")
        assert "The bridge is 1,200 metres long." in _get(page)  # the last good version
        claim.write_text(
            text.replace("en: The bridge is 1,200 metres long.", "en: The bridge is exactly 1,200 metres long."),
            encoding="utf-8",
        )
        assert _wait_for(page, "The bridge is exactly 1,200 metres long.", 30), "the edit never reached the page"
        assert "exactly 1,200" in _get(f"http://127.0.0.1:{port}/en/claims/")
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _serve(root: Path, address: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "serve", "--root", str(root), "--address", address],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("address", ["8000", "127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:", ":8000", "[::1:8000"])
def test_the_preview_command_refuses_a_malformed_address(minimal_root: Path, address: str) -> None:
    run = _serve(minimal_root, address)
    assert (run.returncode, run.stderr) == (
        2,
        f"error: --address {address}: expected HOST:PORT with a port from 1 to 65535, such as 127.0.0.1:8000\n",
    )


def test_a_busy_port_is_a_usage_error_before_anything_is_built(minimal_root: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _serve(minimal_root, f"127.0.0.1:{port}")
    assert run.returncode == 2
    assert run.stderr == f"error: --address 127.0.0.1:{port}: cannot listen there (Address already in use)\n"


def _raw_get(port: int, target: bytes) -> bytes:
    """The status line answered to ``GET target``, sent byte for byte (no client escapes it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.0\r\n\r\n")
        with connection.makefile("rb") as answer:
            status = answer.readline().rstrip()
            answer.read()  # to the end: a client that hangs up early makes the server skip its log line
            return status


def _wait_for_log(log: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while text not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.1)
    return text in log.read_text(encoding="utf-8")


def test_a_malformed_request_path_is_answered_400_without_a_traceback(tmp_path: Path) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    port = _free_port()
    log = tmp_path / "preview.log"
    with _preview(root, port, log):
        assert _wait_for(f"http://127.0.0.1:{port}/en/", "bridge", 60), "the preview did not come up"
        answers = {
            target: _raw_get(port, target)
            for target in (b"/%00", b"/en/%00index.html", b"/%FF", b"/%0a", b"/\x1b[31mred", b"/../../etc/passwd")
        }
        # The server logs a request once it has answered it: wait for the last one.
        assert _wait_for_log(log, "GET /../../etc/passwd", 10), log.read_text(encoding="utf-8")
    assert answers == {
        b"/%00": b"HTTP/1.0 400 Bad Request",
        b"/en/%00index.html": b"HTTP/1.0 400 Bad Request",
        b"/%FF": b"HTTP/1.0 400 Bad Request",
        b"/%0a": b"HTTP/1.0 400 Bad Request",
        b"/\x1b[31mred": b"HTTP/1.0 400 Bad Request",
        b"/../../etc/passwd": b"HTTP/1.0 404 Not Found",
    }
    printed = log.read_text(encoding="utf-8")
    assert "Traceback" not in printed and "500" not in printed
    assert "\x1b" not in printed and "GET /\\x1b[31mred" in printed  # the escape shown, not sent to the terminal


def test_serving_a_folder_that_is_not_a_content_root_is_a_usage_error(tmp_path: Path) -> None:
    run = _serve(tmp_path, "127.0.0.1:8000")  # never listens: refused before the address is taken
    assert (run.returncode, run.stderr) == (
        2,
        f"error: {tmp_path} is not a content root (it has no mkdocs.yml): give one with --root, "
        "or make one with python -m build_tools init DIR\n",
    )
