"""Images that an Agg canvas draws by copying pixels, not by resampling."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.image import AxesImage

__all__ = ["pixel_image", "PixelImage"]


def pixel_image(ax, rgba, extent, *, origin: str = "lower", aspect="equal") -> "PixelImage":
    """Show an opaque RGBA uint8 array ``(ny, nx, 4)`` over ``extent = (left, right, bottom, top)``.

    Like ``ax.imshow(rgba, origin=origin, extent=extent, aspect=aspect,
    interpolation="nearest")`` (row 0 at the bottom of the extent for
    ``origin="lower"``, at its top for ``"upper"``; the axes get ``aspect``
    and limits that fit the image), but redrawn on an Agg canvas by copying
    pixels: see :class:`PixelImage`.  Update it with ``image.set_data(new_rgba)``.
    """
    if origin not in ("lower", "upper"):
        raise ValueError(f"origin must be 'lower' or 'upper'; got {origin!r}.")
    image = PixelImage(ax, origin=origin, interpolation="nearest")
    image.set_data(rgba)
    ax.add_image(image)
    image.set_clip_path(ax.patch)  # clipped to the axes, as imshow does
    image.set_extent(extent)
    ax.set_aspect(aspect)
    return image


class PixelImage(AxesImage):
    """An axis-aligned opaque image that an Agg canvas draws by copying pixels.

    matplotlib resamples an image through Agg on every draw, a millisecond or more for a
    160 x 160 image shown 400 pixels wide.  For an opaque RGBA uint8 image on
    linear axes, nearest-neighbour sampling is an indexed copy into the
    canvas buffer instead, several times faster: the display pixel whose centre
    falls in cell ``(i, j)`` of the extent takes that cell's colour.  Any
    other case (another renderer, log axes, transparency, a clip path) is
    drawn by matplotlib as usual.
    """

    _index_cache = None
    _opaque = False

    def set_data(self, A):
        super().set_data(A)
        a = self._A
        self._opaque = (a.dtype == np.uint8 and a.ndim == 3 and a.shape[2] == 4 and a.flags.c_contiguous
                        and bool(a[..., 3].min() == 255))

    def _fast_path(self, renderer) -> bool:
        ax = self.axes
        clip_path = self.get_clip_path()
        return (self._opaque and isinstance(renderer, RendererAgg) and self.origin in ("lower", "upper")
                and (clip_path is None or getattr(clip_path, "_patch", None) is ax.patch)  # clipped to the axes box
                and self.get_transform() is ax.transData
                and ax.get_xscale() == "linear" and ax.get_yscale() == "linear"
                and self.get_alpha() in (None, 1))

    def draw(self, renderer):
        if not self.get_visible():
            self.stale = False
            return
        if not self._fast_path(renderer):
            return super().draw(renderer)
        rows, cols, flat = self._indices(renderer)
        if flat.size:
            # One gather of whole pixels (RGBA as one uint32), straight into the canvas.
            canvas = np.asarray(renderer.buffer_rgba()).view(np.uint32)[..., 0]
            np.take(self._A.view(np.uint32).reshape(-1), flat, out=canvas[rows, cols], mode="clip")
        self.stale = False

    def _indices(self, renderer):
        """Which canvas rows/columns the image covers, and which data row/column each one shows (cached)."""
        left, right, bottom, top = self.get_extent()
        to_display = self.get_transform()
        (x0, y0), (x1, y1) = to_display.transform([(left, bottom), (right, top)])
        clip = self.axes.bbox if self.get_clip_path() is not None else self.get_clip_box()
        height, width = int(renderer.height), int(renderer.width)
        key = (x0, y0, x1, y1, height, width, self._A.shape[:2], self.origin,
               None if clip is None else tuple(clip.extents))
        if self._index_cache is not None and self._index_cache[0] == key:
            return self._index_cache[1]
        ny, nx = self._A.shape[:2]
        xlo, xhi = sorted((x0, x1))
        ylo, yhi = sorted((y0, y1))
        if clip is not None:
            xlo, xhi = max(xlo, clip.x0), min(xhi, clip.x1)
            ylo, yhi = max(ylo, clip.y0), min(yhi, clip.y1)
        # Pixels whose centres fall inside the visible part of the extent.
        c0, c1 = max(int(np.ceil(xlo - 0.5)), 0), min(int(np.ceil(xhi - 0.5)), width)
        b0, b1 = max(int(np.ceil(ylo - 0.5)), 0), min(int(np.ceil(yhi - 0.5)), height)
        centres_x = np.arange(c0, c1) + 0.5
        centres_y = np.arange(b0, b1) + 0.5  # measured up from the bottom, as display coordinates are
        ci = np.clip(np.floor((centres_x - x0) / (x1 - x0) * nx).astype(np.intp), 0, nx - 1)
        ri = np.clip(np.floor((centres_y - y0) / (y1 - y0) * ny).astype(np.intp), 0, ny - 1)
        if self.origin == "upper":  # row 0 at the top of the extent
            ri = ny - 1 - ri
        # The canvas buffer's rows run from the top: display row b is buffer row height - 1 - b.
        rows = slice(height - b1, height - b0)
        flat = ri[::-1, None] * nx + ci[None, :]  # index into the image's pixels, flattened
        value = rows, slice(c0, c1), flat
        self._index_cache = (key, value)
        return value
