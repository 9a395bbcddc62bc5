#!/usr/bin/env python3
"""Fails unless a PNG shows something: at least 1% of its pixels differ from the most common colour and it has
at least 8 distinct colours. Standard library only (zlib), so that it runs on a fresh machine.
Usage: scripts/png_not_blank.py FILE.png"""
import struct
import sys
import zlib
from collections import Counter


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        sys.exit(f"{path}: only 8-bit, non-interlaced grey/RGB(A) PNGs are checked (got depth {depth}, type {colour})")
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upleft = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, Counter(row[i:i + channels] for row in rows for i in range(0, stride, channels))


def main():
    path = sys.argv[1]
    width, height, colours = pixels(path)
    total = width * height
    background, count = colours.most_common(1)[0]
    drawn = 1 - count / total
    print(f"{path}: {width}x{height}, {len(colours)} colours, {drawn:.1%} of pixels differ from the background")
    if drawn < 0.01 or len(colours) < 8:
        sys.exit(f"{path}: looks blank")


if __name__ == "__main__":
    main()
