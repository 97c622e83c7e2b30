"""A cached share image found trusted is not read again while it stays the same file; any change to it
(its bytes rewritten in place, or another file put in its place) has it read and checked again."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from build_tools.site import share
from build_tools.site.share_drawing import Card


@pytest.fixture
def cached(tmp_path: Path) -> Path:
    card = Card("Synthetic claim.", "Accurate", "#1b5e20", "It is.", "A site")
    image = share.draw(card)
    path = tmp_path / f"{card.digest()}-{hashlib.sha256(image).hexdigest()}.png"
    path.write_bytes(image)
    return path


def test_a_trusted_image_is_not_read_again(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert share._trusted(cached)

    def unread(self: Path) -> bytes:
        raise AssertionError("read again")

    monkeypatch.setattr(Path, "read_bytes", unread)
    assert share._trusted(cached)


def test_an_image_rewritten_in_place_is_checked_again(cached: Path) -> None:
    assert share._trusted(cached)
    data = bytearray(cached.read_bytes())
    data[-20] ^= 0xFF  # the same size, other bytes
    time.sleep(0.05)  # past the file system's clock tick: the file's times change
    with open(cached, "r+b") as handle:  # the same file, as a hand or a tool would edit it
        handle.write(bytes(data))
    assert not share._trusted(cached)


def test_a_link_put_in_its_place_is_checked_again(cached: Path, tmp_path: Path) -> None:
    assert share._trusted(cached)
    elsewhere = tmp_path / "elsewhere.png"
    elsewhere.write_bytes(b"a file of the build machine")
    os.replace(cached, tmp_path / "moved.png")
    cached.symlink_to(elsewhere)
    assert not share._trusted(cached)


def test_the_cache_s_listing_follows_files_added_and_removed(cached: Path, tmp_path: Path) -> None:
    digest = cached.name.split("-")[0]
    assert share._cache_entries(tmp_path) == {digest: cached}
    other = tmp_path / f"{'0' * 64}-{'1' * 64}.png"
    time.sleep(0.05)  # past the file system's clock tick: the folder's times change
    other.write_bytes(b"an entry")
    assert share._cache_entries(tmp_path) == {digest: cached, "0" * 64: other}
    time.sleep(0.05)
    cached.unlink()
    assert share._cache_entries(tmp_path) == {"0" * 64: other}


def test_an_entry_linked_into_a_site_stays_trusted(
    cached: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linking an entry into the site changes its change time, not its bytes: it is not read again."""
    assert share._trusted(cached)
    os.link(cached, tmp_path / "in-the-site.png")

    def unread(self: Path) -> bytes:
        raise AssertionError("read again")

    monkeypatch.setattr(Path, "read_bytes", unread)
    assert share._trusted(cached)
