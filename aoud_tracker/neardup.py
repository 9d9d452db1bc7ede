"""Near-duplicates: MinHash signatures of an article's word shingles, and LSH band buckets.

A rewrite or a trimmed reprint shares most of its word sequences with the original; a
different piece of news about the same show shares only the background paragraph every
outlet pastes. Jaccard similarity of 5-word shingles tells them apart; MinHash (datasketch)
estimates it from 128 numbers, and LSH bands turn "find similar" into equality lookups a
database index answers, so the index lives in the store: across runs and processes.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
from datasketch import MinHash

from aoud_tracker.dedupe import content_paragraphs

NUM_PERM: Final = 128
SHINGLE_WORDS: Final = 5
MIN_SHINGLES: Final = 20  # shorter texts are too small to compare reliably
SCHEME: Final = "affine32"  # 32-bit values, with CRC-32 shingle hashes: stable across processes, fast
_DTYPE: Final = np.dtype("<u4")


@cache
def _permutations() -> tuple[object, ...]:
    """The permutations once per process: datasketch draws them anew for every MinHash otherwise."""
    return tuple(MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=zlib.crc32).permutations)


def shingles(body: str) -> set[bytes]:
    """The text's 5-word sequences, over its reporting paragraphs (page furniture left out)."""
    words = " ".join(content_paragraphs(body)).split()
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(body: str) -> bytes:
    """The MinHash signature of the text as bytes, or b"" when the text is too short."""
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return b""
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations(), hashfunc=zlib.crc32)
    minhash.update_batch(list(grams))
    return np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal MinHash values)."""
    if not first or len(first) != len(second):
        return 0.0
    return float(np.mean(np.frombuffer(first, dtype=_DTYPE) == np.frombuffer(second, dtype=_DTYPE)))


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

    The layout minimises the area of false positives below the threshold plus false negatives
    above it, equally weighted (the same criterion as datasketch's MinHashLSH).
    """
    below = np.linspace(0.0, threshold, 200)
    above = np.linspace(threshold, 1.0, 200)
    best, best_error = Banding(1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_positive = np.trapezoid(_collision(below, bands, rows), below)
            false_negative = np.trapezoid(1.0 - _collision(above, bands, rows), above)
            if (error := false_positive + false_negative) < best_error:
                best, best_error = Banding(bands, rows), error
    return best


def buckets(signature_bytes: bytes, layout: Banding) -> list[int]:
    """One bucket key per band: articles sharing any key are candidates to compare."""
    width = layout.rows * _DTYPE.itemsize
    keys = []
    for band in range(layout.bands):
        chunk = signature_bytes[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys
