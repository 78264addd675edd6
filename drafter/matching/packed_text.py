"""The paragraphs' original text, compressed in small blocks.

The suggestion index keeps each paragraph's original text only to show a result (ten per
query) and to find a long clause's 项 lines among its forty candidates, so it can afford a
decompression per read, where the normalised texts the rerank reads hundreds of times
cannot. Blocks of `BLOCK` paragraphs (UTF-16, zlib) take about 0.6 of the plain store and
decompress in about 25 µs; the last blocks read are kept decompressed. At a million
paragraphs that is about 100 MB off the index (docs/suggestion-index.md).

The blocks are written as one raw deflate stream, fully flushed after each block, so any
block inflates alone (`<stem>.deflate.npy`). A compressor of its own for each block cost
80 µs a block to set up, more than its compressing: 5 s of a million paragraphs' build.
Stores written before that hold one zlib stream a block (`<stem>.packed.npy`) and are
still read.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from drafter.matching.index import compact_offsets, move_into_npy
from drafter.recent import RecentItems

BLOCK = 16  # paragraphs per compressed block
_ENCODING = "utf-16-le"
_LEVEL = 1  # a third of level 6's build time, a few per cent larger
_KEPT_BLOCKS = 64


class PackedTextStore:
    """Texts in deflate blocks of BLOCK, with every text's offset in the uncompressed stream."""

    def __init__(
        self,
        packed: np.ndarray,
        blocks: np.ndarray,
        offsets: np.ndarray,
        inflate: Callable[[bytes], bytes] = zlib.decompress,
    ) -> None:
        self.packed = np.asarray(packed)  # a plain view of the map (see index.TextStore)
        self.inflate = inflate
        self.blocks = np.asarray(blocks)  # block b's compressed bytes: blocks[b]:blocks[b+1]
        self.offsets = np.asarray(offsets)  # text i: offsets[i]:offsets[i+1], uncompressed
        self._kept: RecentItems[int, bytes] = RecentItems(_KEPT_BLOCKS)
        # A truncated or mismatched file is damage (the index is rebuilt), found at open.
        if len(self.blocks) != -(-len(self) // BLOCK) + 1 or int(self.blocks[-1]) != len(
            self.packed
        ):
            raise ValueError("packed text blocks do not agree with the offsets")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        block = index // BLOCK
        data = self._block(block)
        base = int(self.offsets[block * BLOCK])
        start, end = int(self.offsets[index]) - base, int(self.offsets[index + 1]) - base
        return data[start:end].decode(_ENCODING)

    def between(self, start: int, end: int) -> list[str]:
        return [self[i] for i in range(start, end)]

    def _block(self, block: int) -> bytes:
        if block in self._kept:
            return self._kept[block]
        start, end = int(self.blocks[block]), int(self.blocks[block + 1])
        data = self.inflate(self.packed[start:end].tobytes())
        self._kept[block] = data
        return data

    @staticmethod
    def write(texts: Iterable[str], path_stem: Path) -> None:
        """Write `<stem>.packed.npy`, `<stem>.blocks.npy` and `<stem>.offsets.npy`, one block
        in memory at a time."""
        with PackedTextWriter(path_stem) as writer:
            for text in texts:
                writer.add(text)

    @classmethod
    def load(cls, path_stem: Path) -> PackedTextStore:
        data, inflate = _data_file(path_stem)
        return cls(
            np.load(data, mmap_mode="r"),
            np.load(f"{path_stem}.blocks.npy"),
            np.load(f"{path_stem}.offsets.npy", mmap_mode="r"),
            inflate,
        )

    @staticmethod
    def stream(path_stem: Path) -> Iterator[str]:
        """The texts in order, block by block (not mapped, so memory stays flat)."""
        offsets = np.load(f"{path_stem}.offsets.npy")
        blocks = np.load(f"{path_stem}.blocks.npy")
        data_file, inflate = _data_file(path_stem)
        with open(data_file, "rb") as source:
            np.lib.format.read_magic(source)
            np.lib.format.read_array_header_1_0(source)
            for block, size in enumerate(np.diff(blocks).tolist()):
                data = inflate(source.read(size))
                first = block * BLOCK
                base = int(offsets[first])
                ends = offsets[first : first + BLOCK + 1].tolist()
                for start, end in pairwise(ends):
                    yield data[start - base : end - base].decode(_ENCODING)


def _inflate_block(data: bytes) -> bytes:
    """One block of the raw deflate stream (it ends on a full flush, not a final block)."""
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data)


def _data_file(path_stem: Path) -> tuple[Path, Callable[[bytes], bytes]]:
    """The store's compressed blocks and how one is inflated (the older form: zlib)."""
    flushed = Path(f"{path_stem}.deflate.npy")
    if flushed.exists():
        return flushed, _inflate_block
    return Path(f"{path_stem}.packed.npy"), zlib.decompress


@dataclass
class PackedBlocks:
    """Texts packed as whole blocks apart from any store, to be appended to one (an index
    build packs each chunk in the worker process that normalises it)."""

    data: bytes
    block_sizes: list[int]  # compressed bytes of each block
    text_sizes: list[int]  # encoded bytes of each text


def pack_blocks(texts: list[str]) -> PackedBlocks:
    """`texts` in blocks of BLOCK, the last one possibly short."""
    compressor = _compressor()
    encoded = [text.encode(_ENCODING) for text in texts]
    packed = [
        _compress_block(compressor, encoded[first : first + BLOCK])
        for first in range(0, len(encoded), BLOCK)
    ]
    return PackedBlocks(b"".join(packed), [len(p) for p in packed], [len(e) for e in encoded])


def _unpacked(packed: PackedBlocks, first_block: int = 0) -> Iterator[str]:
    """The texts `pack_blocks` packed, in order, from one of its blocks on."""
    at = sum(packed.block_sizes[:first_block])
    for block in range(first_block, len(packed.block_sizes)):
        data = _inflate_block(packed.data[at : at + packed.block_sizes[block]])
        at += packed.block_sizes[block]
        start = 0
        for size in packed.text_sizes[block * BLOCK : (block + 1) * BLOCK]:
            yield data[start : start + size].decode(_ENCODING)
            start += size


def _compressor() -> zlib._Compress:
    return zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)


def _compress_block(compressor: zlib._Compress, texts: list[bytes]) -> bytes:
    # A full flush starts the next block afresh: no back-reference crosses it.
    return compressor.compress(b"".join(texts)) + compressor.flush(zlib.Z_FULL_FLUSH)


class PackedTextWriter:
    """Writes a PackedTextStore text by text, or block by block (a context manager: the
    store is complete when the `with` block ends without an exception)."""

    def __init__(self, path_stem: Path) -> None:
        self.path_stem = path_stem
        self._raw = path_stem.with_suffix(".packing")
        self._out = self._raw.open("wb")
        self._offsets = array("q", [0])
        self._blocks = array("q", [0])
        self._pending: list[bytes] = []
        self._compressor = _compressor()

    def add(self, text: str) -> None:
        data = text.encode(_ENCODING)
        self._pending.append(data)
        self._offsets.append(self._offsets[-1] + len(data))
        if len(self._pending) == BLOCK:
            self._flush()

    def add_blocks(self, packed: PackedBlocks) -> None:
        """Append texts packed by `pack_blocks`."""
        if self._pending:  # after a short block the blocks would not line up
            for text in _unpacked(packed):
                self.add(text)
            return
        whole = len(packed.text_sizes) // BLOCK
        self._out.write(packed.data[: sum(packed.block_sizes[:whole])])
        for size in packed.block_sizes[:whole]:
            self._blocks.append(self._blocks[-1] + size)
        for size in packed.text_sizes[: whole * BLOCK]:
            self._offsets.append(self._offsets[-1] + size)
        # A short last block waits here for the texts that follow it.
        for text in _unpacked(packed, whole):
            self.add(text)

    def _flush(self) -> None:
        packed = _compress_block(self._compressor, self._pending)
        self._out.write(packed)
        self._blocks.append(self._blocks[-1] + len(packed))
        self._pending.clear()

    def __enter__(self) -> PackedTextWriter:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None:
            self._out.close()
            self._raw.unlink(missing_ok=True)
            return
        if self._pending:
            self._flush()
        self._out.close()
        stem = self.path_stem
        move_into_npy(self._raw, Path(f"{stem}.deflate.npy"), self._blocks[-1])
        np.save(f"{stem}.blocks.npy", compact_offsets(self._blocks))
        np.save(f"{stem}.offsets.npy", compact_offsets(self._offsets))
