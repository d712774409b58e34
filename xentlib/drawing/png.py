"""PNG frames from an Agg canvas, fast: RGBA rows as they are, compressed in bands that are reused when unchanged."""

from __future__ import annotations

import concurrent.futures
import functools
import os
import struct
import zlib

import numpy as np

__all__ = ["PngEncoder"]


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from the checksums of each (zlib's ``adler32_combine``)."""
    base = 65521
    a = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % base
    b = ((first >> 16) + (second >> 16) + (second_length % base) * (first & 0xFFFF) - (second_length % base)) % base
    return a | (b << 16)


_END_OF_STREAM = zlib.compressobj(1, zlib.DEFLATED, -15).flush()  # an empty final deflate block


@functools.lru_cache(1)
def _helper_thread() -> concurrent.futures.ThreadPoolExecutor:
    """One worker thread that shares the PNG compression with the kernel's own thread."""
    return concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="xentlib-png")


if hasattr(os, "register_at_fork"):  # a forked child has no worker thread: it starts its own
    os.register_at_fork(after_in_child=_helper_thread.cache_clear)


class PngEncoder:
    """PNG frames of one canvas, written for speed rather than size.

    * The rows are Agg's RGBA buffer as it is: no copy into RGB, which would
      cost numpy more time than zlib takes to compress the fourth channel
      (an opaque alpha filters to zeros).
    * Each row is filtered "Up" (the byte-wise difference from the row
      above; mod 256): flat colour and the repeated rows of a plot become
      runs of zeros, which zlib level 1 compresses faster and smaller than
      the raw bytes.  (Pillow instead tries every filter on each row of an
      RGB copy, and compresses at zlib's default level.)
    * A slider step changes a few bands of rows (the axes that moved), not
      the titles, labels and legends above and below them.  The image is
      compressed in bands of rows, each an independent deflate block, and a
      band whose pixels did not change since the last frame reuses its
      compressed bytes and checksum.  So that a band never depends on
      another, its first row is filtered "Sub" (the difference from the pixel
      to its left) instead of "Up".
    * numpy and zlib release the GIL, so when four or more bands changed,
      a helper thread compresses half of them (measured in
      ``benchmarks/README.md``).
    """

    BAND_ROWS = 24
    _SUB, _UP = 1, 2  # PNG filter types

    def __init__(self):
        self._shape = None

    def encode(self, canvas) -> bytes:
        # The buffer's own shape, not get_width_height(): from matplotlib 3.11 they can differ by a pixel.
        rgba = np.asarray(canvas.buffer_rgba())  # (height, width, 4) uint8
        height, width = rgba.shape[:2]
        pixels = rgba.view(np.uint32)[..., 0]  # one uint32 per pixel
        if self._shape != (height, width):
            self._reset(height, width)
            dirty = range(len(self._bands))
        else:
            changed_rows = np.not_equal(pixels, self._previous).any(axis=1)
            dirty = [i for i, (r0, r1) in enumerate(self._bands) if changed_rows[r0:r1].any()]
        np.copyto(self._previous, pixels)
        self._compress_bands(list(dirty), pixels.view(np.uint8))
        checksum, length = 1, 0
        for band_checksum, band_length in self._checksums:
            checksum = _adler32_combine(checksum, band_checksum, band_length) if length else band_checksum
            length += band_length
        stream = b"\x78\x01" + b"".join(self._chunks) + _END_OF_STREAM + struct.pack(">I", checksum)
        header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
        return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", stream)
                + _png_chunk(b"IEND", b""))

    def _reset(self, height: int, width: int) -> None:
        self._shape = (height, width)
        self._previous = np.empty((height, width), np.uint32)
        self._bands = [(r, min(r + self.BAND_ROWS, height)) for r in range(0, height, self.BAND_ROWS)]
        self._chunks = [b""] * len(self._bands)
        self._checksums = [(1, 0)] * len(self._bands)

    def _compress_bands(self, bands: list, raw) -> None:
        """Compress ``bands`` of ``raw``, the second half of them on the helper thread if there are enough."""
        half = len(bands) // 2
        if half < 2:
            self._compress_each(bands, raw)
            return
        helper = _helper_thread().submit(self._compress_each, bands[half:], raw)
        self._compress_each(bands[:half], raw)
        helper.result()

    def _compress_each(self, bands, raw) -> None:
        for band in bands:
            self._compress_band(band, raw)

    def _compress_band(self, band: int, raw) -> None:
        """Filter and deflate band ``band`` of ``raw``, the canvas as bytes (height, 4 * width)."""
        r0, r1 = self._bands[band]
        rows = np.empty((r1 - r0, 1 + raw.shape[1]), np.uint8)  # each row led by its filter type
        rows[0, 0], rows[1:, 0] = self._SUB, self._UP
        first = raw[r0]
        rows[0, 1:5] = first[:4]
        np.subtract(first[4:], first[:-4], out=rows[0, 5:])
        np.subtract(raw[r0 + 1:r1], raw[r0:r1 - 1], out=rows[1:, 1:])
        deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
        self._chunks[band] = deflate.compress(rows) + deflate.flush(zlib.Z_SYNC_FLUSH)
        self._checksums[band] = (zlib.adler32(rows), rows.size)
