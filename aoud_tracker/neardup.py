"""Near-duplicates: MinHash signatures of an article's word shingles, and LSH band buckets.

A rewrite or a trimmed reprint shares most of its word sequences with the original; a
different piece of news about the same show shares only the background paragraph every
outlet pastes. Jaccard similarity of 5-word shingles tells them apart; MinHash estimates it
from 128 numbers, and LSH bands turn "find similar" into equality lookups a database index
answers, so the index lives in the store: across runs and processes.

The MinHash is datasketch's (its `affine32` scheme, seed 1), computed here with numpy: the same
signatures, value for value (tests/test_dedupe_eval.py holds them against datasketch's own). Importing
datasketch imports scipy.integrate for its LSH classes' parameter search, which we do not use:
50 MB and 0.4 s in the crawl's process and in every work process.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

import numpy as np

from aoud_tracker.dedupe import content_paragraphs

NUM_PERM: Final = 128
SHINGLE_WORDS: Final = 5
MIN_SHINGLES: Final = 20  # shorter texts are too small to compare reliably
SCHEME: Final = "affine32"  # datasketch's name: 32-bit values, h -> a*h + b mod 2^32 with `a` odd
SEED: Final = 1  # datasketch's default: the permutations of every stored signature
FALSE_POSITIVE_WEIGHT: Final = 0.2
FALSE_NEGATIVE_WEIGHT: Final = 0.8
_MULTIPLIER: Final = np.uint64(1_000_003)
_DTYPE: Final = np.dtype("<u4")


_FMIX32: Final = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's 32-bit finalizer


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The 128 affine permutations' `a` (odd) and `b`, drawn as datasketch draws them."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _premixed(hashes: np.ndarray) -> np.ndarray:
    """The finalizer datasketch applies to each input before permuting (a bijection on 32 bits)."""
    first, times, second, again, last = (np.uint32(n) for n in _FMIX32)
    mixed = hashes.astype(np.uint32)
    mixed = (mixed ^ (mixed >> first)) * times
    mixed = (mixed ^ (mixed >> second)) * again
    return mixed ^ (mixed >> last)


def shingles(body: str) -> set[int]:
    """The text's 5-word sequences (as 32-bit hashes), over its reporting paragraphs."""
    return set(_shingle_hashes(body).tolist())


def _shingle_hashes(body: str) -> np.ndarray:
    """The distinct shingle hashes as an array.

    Words are hashed once (CRC-32) and combined into sequence hashes with numpy, which is
    several times faster than joining and hashing every five-word string.
    """
    words = b" ".join(content_paragraphs(body)).split()
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    combined = np.zeros(len(words) - SHINGLE_WORDS + 1, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):
        combined = combined * _MULTIPLIER + hashes[offset : offset + len(combined)]
    return np.unique((combined ^ (combined >> np.uint64(32))) & np.uint64(0xFFFFFFFF))


def signature(body: str) -> bytes:
    """The MinHash signature of the text as bytes, or b"" when the text is too short."""
    grams = _shingle_hashes(body)
    if len(grams) < MIN_SHINGLES:
        return b""
    a, b = _permutations()
    permuted = _premixed(grams)[:, np.newaxis] * a + b  # wraps: arithmetic mod 2^32
    return np.asarray(permuted.min(axis=0), dtype=_DTYPE).tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal MinHash values)."""
    if not first or len(first) != len(second):
        return 0.0
    return float(np.mean(np.frombuffer(first, dtype=_DTYPE) == np.frombuffer(second, dtype=_DTYPE)))


def similarities(first: bytes, others: list[bytes]) -> np.ndarray:
    """Estimated Jaccard similarity of one signature with many, in one numpy comparison."""
    if not others:
        return np.zeros(0)
    if not first or any(len(other) != len(first) for other in others):
        return np.array([similarity(first, other) for other in others])
    mine = np.frombuffer(first, dtype=_DTYPE)
    theirs = np.frombuffer(b"".join(others), dtype=_DTYPE).reshape(len(others), -1)
    return np.asarray((theirs == mine).mean(axis=1))


@dataclass(frozen=True)
class Banding:
    """LSH layout: `bands` buckets of `rows` signature values each."""

    bands: int
    rows: int


def _collision(similarity_values: np.ndarray, bands: int, rows: int) -> np.ndarray:
    return 1.0 - (1.0 - similarity_values**rows) ** bands


@cache
def banding(threshold: float, num_perm: int = NUM_PERM) -> Banding:
    """The band layout that best separates pairs above and below `threshold`.

    The layout minimises the weighted areas of false positives below the threshold and false
    negatives above it (datasketch MinHashLSH's criterion). A missed candidate is a copy shown
    twice, while an extra candidate only costs one comparison, so misses weigh four times more.
    """
    below = np.linspace(0.0, threshold, 200)
    above = np.linspace(threshold, 1.0, 200)
    best, best_error = Banding(1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_positive = np.trapezoid(_collision(below, bands, rows), below)
            false_negative = np.trapezoid(1.0 - _collision(above, bands, rows), above)
            if (
                error := FALSE_POSITIVE_WEIGHT * false_positive + FALSE_NEGATIVE_WEIGHT * false_negative
            ) < best_error:
                best, best_error = Banding(bands, rows), error
    return best


@lru_cache(maxsize=64)  # a stored article's keys are looked up, then indexed
def buckets(signature_bytes: bytes, layout: Banding) -> tuple[int, ...]:
    """One bucket key per band: articles sharing any key are candidates to compare.

    A band's values are combined into a 64-bit key (band number mixed in, so keys of different
    bands never meet), in one numpy pass.
    """
    values = np.frombuffer(signature_bytes, dtype=_DTYPE)[: layout.bands * layout.rows]
    rows = values.reshape(layout.bands, layout.rows).astype(np.uint64)
    keys = np.arange(1, layout.bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for column in range(layout.rows):
        keys = (keys ^ rows[:, column]) * np.uint64(0x100000001B3)
    return tuple(int(key) for key in keys.view(np.int64))
