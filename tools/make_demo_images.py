#!/usr/bin/env python3
"""Draws the demo products' pictures (assets/demo/images/*.png) from simple shapes, so the demo ships art this
project made itself. Pure Python (zlib + struct), no imaging library needed. Run from the repository root."""
import math
import struct
import zlib

SIZE = 480


def png(path, pixel):
    rows = []
    for y in range(SIZE):
        row = bytearray([0])
        for x in range(SIZE):
            row.extend(pixel(x / SIZE, y / SIZE))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def tea_set(x, y):
    bg = mix((250, 244, 232), (232, 222, 200), y)
    celadon, dark = (150, 196, 170), (92, 140, 118)
    # Teapot body, lid, knob, spout, handle; a cup beside it.
    if (x - 0.42) ** 2 / 0.07 + (y - 0.58) ** 2 / 0.035 < 1:
        return mix(celadon, dark, max(0.0, (x - 0.3) * 1.5))
    if abs(x - 0.42) < 0.12 and abs(y - 0.36) < 0.03:
        return dark
    if (x - 0.42) ** 2 + (y - 0.31) ** 2 < 0.0012:
        return dark
    if 0.62 < x < 0.78 and abs(y - (0.6 - (x - 0.62) * 0.9)) < 0.025:
        return celadon
    if 0.10 < x < 0.20 and abs(math.hypot(x - 0.2, y - 0.56) - 0.08) < 0.018:
        return dark
    if 0.66 < x < 0.88 and 0.72 < y < 0.86 and abs(x - 0.77) < 0.11 - (y - 0.72) * 0.2:
        return celadon
    if abs(y - 0.9) < 0.012 and 0.05 < x < 0.95:
        return (180, 160, 130)
    return bg


def scarf(x, y):
    bg = mix((36, 48, 74), (20, 28, 46), y)
    # A draped scarf: a wavy band with stripes and a fringe.
    centre = 0.5 + 0.12 * math.sin(x * 6.0)
    d = abs(y - centre)
    if d < 0.16 and 0.08 < x < 0.92:
        stripe = int((x * 14 + (y - centre) * 3)) % 3
        return [(196, 30, 58), (240, 200, 120), (170, 24, 50)][stripe]
    if 0.88 < x < 0.96 and d < 0.16 and int(y * 90) % 2 == 0:
        return (240, 200, 120)
    return bg


def lamp(x, y):
    bg = mix((238, 240, 244), (210, 216, 226), y)
    glow = max(0.0, 1.0 - math.hypot(x - 0.55, y - 0.42) * 3.2)
    bg = mix(bg, (255, 236, 170), glow * 0.8)
    # Shade, arm, base.
    if 0.28 < y < 0.42 and abs(x - 0.55) < 0.08 + (y - 0.28) * 0.9:
        return (40, 44, 52)
    if abs((x - 0.35) - (0.78 - y) * 0.45) < 0.015 and 0.42 < y < 0.8:
        return (90, 96, 108)
    if abs(y - 0.83) < 0.03 and abs(x - 0.42) < 0.16:
        return (40, 44, 52)
    return bg


for name, fn in [("tea-set", tea_set), ("scarf", scarf), ("lamp", lamp)]:
    png(f"assets/demo/images/{name}.png", fn)
    print("wrote", name)
