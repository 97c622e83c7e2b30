"""The preview's watcher does not poll the content root while a build runs (at thousands of claims a
poll took a third of the build's time), and what was saved during the build is seen after it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from watchdog.observers import polling
from watchdog.utils.dirsnapshot import DirectorySnapshot

from build_tools.site.preview import _PreviewServer


def test_no_poll_while_building_and_a_save_meanwhile_is_seen_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots: list[float] = []
    snapshot = DirectorySnapshot

    def counted(*args: Any, **kwargs: Any) -> Any:
        snapshots.append(time.monotonic())
        return snapshot(*args, **kwargs)

    monkeypatch.setattr(polling, "DirectorySnapshot", counted)
    watched = tmp_path / "claims"
    watched.mkdir()
    during: list[int] = []

    def build() -> None:
        before = len(snapshots)
        time.sleep(0.3)  # some build, six polling intervals long
        (watched / "saved-meanwhile.yml").write_text("id: a\n", encoding="utf-8")
        time.sleep(0.3)
        during.append(len(snapshots) - before)

    server = _PreviewServer(builder=build, host="127.0.0.1", port=0, root=str(tmp_path), polling_interval=0.05)
    server.watch(str(watched))
    server.observer.start()
    try:
        time.sleep(0.2)
        assert snapshots  # it polls while idle
        server.builder()
        assert during == [0] or during == [1]  # at most the poll under way when the build began
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._want_rebuild  # the save made during the build calls for another
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()
