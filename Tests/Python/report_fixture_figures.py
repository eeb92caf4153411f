"""Writes the figure files of the Reporting tests' fixture document: a coronal CT slice with a tinted
femur, a DXA-like projection with region tints and a failed-tissue map (PNG, written with zlib only).

usage: report_fixture_figures.py OUTDIR
"""
import os
import struct
import sys
import zlib

import numpy as np


def write_png(path, rgb):
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[r].astype(np.uint8).tobytes() for r in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def femur_mask(h, w):
    y, x = np.mgrid[0:h, 0:w]
    head = (x - 0.3 * w) ** 2 + (y - 0.25 * h) ** 2 < (0.09 * w) ** 2
    neck = (np.abs((y - 0.25 * h) - 0.6 * (x - 0.3 * w)) < 0.05 * w) & (x > 0.3 * w) & (x < 0.5 * w)
    shaft = (np.abs(x - 0.52 * w) < 0.07 * w) & (y > 0.3 * h)
    troch = (x - 0.55 * w) ** 2 / (0.1 * w) ** 2 + (y - 0.35 * h) ** 2 / (0.12 * h) ** 2 < 1
    return head | neck | shaft | troch


def main(out):
    os.makedirs(out, exist_ok=True)
    h, w = 200, 240
    y, x = np.mgrid[0:h, 0:w]
    body = ((x - w / 2) / (0.48 * w)) ** 2 + ((y - h / 2) / (0.6 * h)) ** 2 < 1
    bone = femur_mask(h, w)
    grey = np.where(body, 110.0, 0.0) + np.where(bone, 120.0, 0.0)
    rgb = np.stack([grey] * 3, axis=-1)
    rgb[bone] = 0.55 * rgb[bone] + 0.45 * np.array([255, 140, 0])
    write_png(os.path.join(out, "ct-hip-coronal.png"), rgb)

    dxa = np.where(bone, 60 + 150 * np.exp(-((x - 0.3 * w) ** 2 + (y - 0.25 * h) ** 2) / (0.2 * w) ** 2), 0)
    rgb = np.stack([dxa] * 3, axis=-1)
    neck = bone & (x > 0.36 * w) & (x < 0.44 * w) & (y < 0.35 * h)
    rgb[neck] = 0.6 * rgb[neck] + 0.4 * np.array([230, 40, 40])
    write_png(os.path.join(out, "dxa-left.png"), rgb)

    failed = np.full((h, w, 3), 255.0)
    failed[bone] = 180
    hot = bone & (np.abs((y - 0.25 * h) - 0.6 * (x - 0.3 * w)) < 0.03 * w)
    failed[hot] = [255, 40, 40]
    write_png(os.path.join(out, "failed-hip-left.png"), failed)


if __name__ == "__main__":
    main(sys.argv[1])
