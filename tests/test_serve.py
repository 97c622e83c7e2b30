"""`mkdocs serve` (what `make serve` runs) picks up an edited claim file and serves its new page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


def test_the_preview_command_follows_edits_and_keeps_the_last_good_version(tmp_path: Path) -> None:
    """`make serve` runs `python -m build_tools serve`: an edit reaches the page; a content error is
    printed located while the last good version stays served; fixed, the preview catches up."""
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": TODAY_EPOCH}
    log = tmp_path / "preview.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "build_tools", "serve", "--root", str(root), "--address", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
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
        finally:
            server.terminate()
            server.wait(timeout=20)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_the_preview_command_refuses_a_bad_address(minimal_root: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "build_tools", "serve", "--root", str(minimal_root), "--address", "8000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (run.returncode, run.stderr) == (2, "error: --address 8000: expected HOST:PORT, such as 127.0.0.1:8000\n")
