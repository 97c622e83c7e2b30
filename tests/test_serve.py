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
