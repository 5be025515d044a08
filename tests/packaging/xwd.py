"""Read the X Window Dump that ``xwd -root`` writes (TrueColor, 24/32 bits per pixel), tell
whether it shows anything, and save it as a PNG: standard library only, so the Xvfb test needs
no image tool beyond ``xwd``."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Screenshot:
    width: int
    height: int
    rgb: bytes  # width * height * 3

    def distinct_colours(self, step: int = 7) -> int:
        """How many different colours a sample of the pixels has (every ``step``-th pixel)."""
        seen = set()
        for i in range(0, self.width * self.height, step):
            seen.add(self.rgb[3 * i:3 * i + 3])
        return len(seen)

    def share_unlike_corner(self) -> float:
        """The share of pixels that differ from the top-left pixel (the background)."""
        corner = self.rgb[:3]
        total = self.width * self.height
        differ = sum(1 for i in range(0, total, 5) if self.rgb[3 * i:3 * i + 3] != corner)
        return differ / (total / 5)

    def save_png(self, path: Path) -> None:
        rows = b"".join(b"\x00" + self.rgb[y * self.width * 3:(y + 1) * self.width * 3]
                        for y in range(self.height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                         + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def read_xwd(data: bytes) -> Screenshot:
    """Parse a version-7 ZPixmap dump of 24 or 32 bits per pixel.

    Raises:
        ValueError: another format (this helper reads what Xvfb's root window gives).
    """
    fields = struct.unpack(">25I", data[:100])
    (header_size, version, pixmap_format, _depth, width, height, _xoff, byte_order, _unit,
     _bit_order, _pad, bits_per_pixel, bytes_per_line, _visual, red_mask, green_mask,
     blue_mask, _bits_rgb, _entries, ncolors) = fields[:20]
    if version != 7 or pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise ValueError("unsupported xwd format")
    start = header_size + 12 * ncolors
    step = bits_per_pixel // 8
    order = "little" if byte_order == 0 else "big"
    shifts = [(mask, (mask & -mask).bit_length() - 1) for mask in (red_mask, green_mask,
                                                                  blue_mask)]
    out = bytearray()
    for y in range(height):
        row = data[start + y * bytes_per_line:start + y * bytes_per_line + width * step]
        for x in range(0, width * step, step):
            pixel = int.from_bytes(row[x:x + step], order)
            out.extend((pixel & mask) >> shift for mask, shift in shifts)
    return Screenshot(width, height, bytes(out))
