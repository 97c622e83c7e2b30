"""Share previews: the Open Graph and Twitter card tags of every page, and the images they point at.

A claim's image (1200×630 PNG) carries the claim, its verdict's label and colour, the conclusion
and the site's name; every other page uses one image of the site. Images are drawn by
``share_drawing`` and kept in ``.cache/share/`` under a digest of what they show, so a rebuild draws
only the images whose text changed; when many are missing they are drawn by one worker process per
core. The file's name also carries a digest of its bytes: an entry is used only if it is a regular
file whose bytes match that name, so a file swapped or linked into the cache is drawn again rather
than published.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import multiprocessing
import os
import re
import stat
import struct
import tempfile
from collections.abc import Hashable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from babel.core import get_global

from build_tools.content.dataset import Dataset
from build_tools.content.model import Claim, SiteLanguage
from build_tools.site.share_drawing import HEIGHT, WIDTH, Card, draw

SHARE_DIR = "assets/share"  # under each language's root
CACHE_DIR = ".cache/share"  # under the content root
__all__ = ["CACHE_DIR", "HEIGHT", "SHARE_DIR", "WIDTH", "Card", "draw", "draw_missing", "og_locale", "share_images"]


def og_locale(language: SiteLanguage) -> str:
    """The language's Open Graph locale (fr_FR, en_US, uk_UA), from CLDR's likely territories."""
    likely = str(get_global("likely_subtags").get(language.code, language.code))
    parts = likely.split("_")
    territory = next((part for part in parts[1:] if len(part) == 2 and part.isupper()), None)
    return f"{language.code}_{territory}" if territory else language.code


def claim_card(dataset: Dataset, claim: Claim, language: SiteLanguage) -> Card:
    verdict = dataset.verdicts[claim.verdict]
    code = language.code
    return Card(claim.summary[code], verdict.label[code], verdict.colour, claim.conclusion[code], language.site_name)


def site_card(dataset: Dataset, language: SiteLanguage) -> Card:
    colour = dataset.scale.verdicts[0].colour
    return Card(language.site_name, "", colour, language.site_description or "", language.site_name)


_Key = TypeVar("_Key", bound=Hashable)  # a card's path, alone or with its language


def _language_cards(dataset: Dataset, language: SiteLanguage) -> dict[str, Card]:
    cards = {
        f"{SHARE_DIR}/{claim_id}.png": claim_card(dataset, claim, language)
        for claim_id, claim in dataset.claims.items()
    }
    cards[f"{SHARE_DIR}/site.png"] = site_card(dataset, language)
    return cards


def share_images(dataset: Dataset, language: SiteLanguage, cache_root: Path) -> dict[str, Path]:
    """Path under the language's root → its PNG in the cache, for every claim and the site; only the
    images not in the cache are drawn. The build links (or copies) the files: no image is held in memory."""
    return _images(_language_cards(dataset, language), cache_root)


def draw_missing(dataset: Dataset, cache_root: Path) -> None:
    """Draw the images of every language that the cache lacks, at once. The parallel build calls it
    before it forks one process per language: the images are drawn on every core, and the
    languages' builds then find them all in the cache instead of each drawing its own on one.
    Only the cache's listing is read here: each language's build checks the bytes of the entries
    it uses (and draws again one that fails), so a full cache costs no second reading."""
    entries = _cache_entries(cache_root)
    missing = {
        digest: card
        for language in dataset.languages
        for card in _language_cards(dataset, language).values()
        if (digest := card.digest()) not in entries
    }
    _draw_all(missing, cache_root)


def _images(cards: Mapping[_Key, Card], cache_root: Path) -> dict[_Key, Path]:
    entries = _cache_entries(cache_root)
    digests = {key: card.digest() for key, card in cards.items()}
    found: dict[str, Path] = {}
    missing: dict[str, Card] = {}  # by digest: a card shown twice is drawn once
    for key, card in cards.items():
        digest = digests[key]
        if digest in found or digest in missing:
            continue
        cached = entries.get(digest)
        if cached is not None and _trusted(cached):
            found[digest] = cached
        else:
            missing[digest] = card
    found |= _draw_all(missing, cache_root)
    return {key: found[digest] for key, digest in digests.items()}


_ENTRY = re.compile(r"([0-9a-f]{64})-([0-9a-f]{64})\.png")


# The last listing of each cache folder, with the folder's inode and times then: a live preview lists
# it on every save. A listing that is out of date can only name a file that is gone or whose bytes
# are wrong (``_trusted`` refuses both, and the image is drawn again) or miss one (drawn again too).
_LISTED: dict[str, tuple[tuple[int, int, int], dict[str, Path]]] = {}


def _cache_entries(cache_root: Path) -> dict[str, Path]:
    """Card digest → the cached file said to show it: regular files only, links never."""
    try:
        folder = os.stat(cache_root)
    except OSError:  # no cache yet: every image is drawn
        return {}
    signature = (folder.st_ino, folder.st_mtime_ns, folder.st_ctime_ns)
    listed = _LISTED.get(str(cache_root))
    if listed is not None and listed[0] == signature:
        return dict(listed[1])
    entries: dict[str, Path] = {}
    try:
        with os.scandir(cache_root) as scan:
            for entry in scan:
                match = _ENTRY.fullmatch(entry.name)
                if match and entry.is_file(follow_symlinks=False):
                    entries[match.group(1)] = Path(entry.path)
    except OSError:  # not a folder: every image is drawn
        return {}
    _LISTED[str(cache_root)] = (signature, entries)
    return dict(entries)


_SIZE = struct.pack(">II", WIDTH, HEIGHT)  # a PNG's IHDR starts with its width and height
_MOST_BYTES = 2 * 1024 * 1024


# Cached files found trusted in this process, with their inode, size and modification time then: a
# live preview asks again on every save, and rereading and hashing every image is most of what a save
# costs it. The engine replaces a file, never rewrites it: another inode, or another time, and it is
# read again. Not the change time: linking an entry into the site (``adapter._LinkedCopy``) changes
# it, and every image would be read again once more. Only this process's life long: a build starts
# with nothing trusted.
_SEEN_TRUSTED: dict[str, tuple[int, int, int]] = {}


def _trusted(path: Path) -> bool:
    """A cached image is used only if it is what the engine writes: a PNG of the card's size, not
    larger than any card, whose bytes match the digest in its name."""
    try:
        found = os.lstat(path)
        signature = (found.st_ino, found.st_size, found.st_mtime_ns)
        if stat.S_ISREG(found.st_mode) and _SEEN_TRUSTED.get(str(path)) == signature:
            return True
        if path.stat().st_size > _MOST_BYTES:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and data[16:24] == _SIZE):
        return False
    trusted = path.name.endswith(f"-{hashlib.sha256(data).hexdigest()}.png")
    if trusted and stat.S_ISREG(found.st_mode):
        _SEEN_TRUSTED[str(path)] = signature
    return trusted


def _store(card: Card, cache_root: Path) -> Path:
    """Draw ``card`` into the cache; the file it is in."""
    image = draw(card)
    cache_root.mkdir(parents=True, exist_ok=True)
    path = cache_root / f"{card.digest()}-{hashlib.sha256(image).hexdigest()}.png"
    fd, tmp = tempfile.mkstemp(dir=cache_root, prefix=".share-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(image)
    os.replace(tmp, path)  # replaces a link of that name too, not the file it points at
    return path


_WORKER_FROM = 32  # images per worker process below which forking one costs more than it saves


def _draw_all(missing: dict[str, Card], cache_root: Path) -> dict[str, Path]:
    """Card digest → its new file in the cache: a handful drawn here, many across the cores."""
    workers = min(os.cpu_count() or 1, len(missing) // _WORKER_FROM)
    if workers < 2:
        return {digest: _store(card, cache_root) for digest, card in missing.items()}
    cache_root.mkdir(parents=True, exist_ok=True)
    # Forked, the workers inherit the fonts and drawings already loaded. Their cyclic garbage
    # collector stays off: a collection would write to every object they inherit (the dataset, the
    # pages), copying the memory it shares with this process.
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(missing) // (workers * 4)))  # few round trips, and no worker left idle long
    with ProcessPoolExecutor(workers, mp_context=context, initializer=gc.disable) as pool:
        paths = pool.map(_store, missing.values(), itertools.repeat(cache_root), chunksize=chunk)
        return dict(zip(missing, paths, strict=True))
