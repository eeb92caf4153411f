#!/usr/bin/env python3
"""Make JPEG lossless (process 14) frames that the shared data lacks, from a real CT slice:
every selection value 1-7, point transforms, 8/12/16-bit precision (dcmtk's dcmcjpeg), and
restart intervals (a small encoder here, since no installed tool writes DRI for lossless JPEG;
its output is accepted only if pydicom + pylibjpeg decodes it back to the source pixels).

usage: lossless_variants.py CT_SLICE OUTDIR
Writes OUTDIR/manifest.json in codec_fixtures.py's format. Reference for the dcmcjpeg files:
dcmtk's dcmdjpeg (cross-checked against pydicom + pylibjpeg where Pt = 0: pylibjpeg 2.x returns
garbage for point-transformed streams, which dcmdjpeg and gdcmconv both decode to source >> Pt << Pt);
for the restart-interval streams: the source pixels, checked as above.
"""
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pydicom
from pydicom.encaps import encapsulate, generate_frames
from pydicom.uid import ExplicitVRLittleEndian, JPEGLossless

warnings.simplefilter("ignore")
SIZE = 256  # a centre crop keeps the test quick


def source_slice(path, bits):
    ds = pydicom.dcmread(path)
    a = ds.pixel_array.astype(np.int64)
    r0, c0 = (ds.Rows - SIZE) // 2, (ds.Columns - SIZE) // 2
    a = a[r0:r0 + SIZE, c0:c0 + SIZE]
    a = a - a.min()
    a = np.clip(a, 0, (1 << bits) - 1)
    ds.Rows = ds.Columns = SIZE
    ds.BitsAllocated = 8 if bits <= 8 else 16
    ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.PixelRepresentation = 0
    for tag in ("RescaleIntercept", "RescaleSlope", "WindowCenter", "WindowWidth", "SmallestImagePixelValue", "LargestImagePixelValue"):
        if tag in ds:
            del ds[tag]
    dtype = np.uint8 if bits <= 8 else np.uint16
    ds.PixelData = a.astype(dtype).tobytes()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    return ds, a


def descriptor(ds):
    return {"rows": int(ds.Rows), "columns": int(ds.Columns), "samplesPerPixel": 1,
            "bitsAllocated": int(ds.BitsAllocated), "bitsStored": int(ds.BitsStored),
            "pixelRepresentation": 0, "planarConfiguration": 0, "photometricInterpretation": "MONOCHROME2"}


def encode_lossless(a, precision, predictor, restart_rows):
    """Baseline-free lossless JPEG (SOF3) of a 2-D array with a DRI every `restart_rows` rows."""
    rows, cols = a.shape
    lengths = [5] * 17  # 17 categories, all 5-bit codes: a valid canonical Huffman table
    codes, code = [], 0
    for _ in range(17):
        codes.append(code)
        code += 1
    out = bytearray(b"\xff\xd8")
    out += b"\xff\xc3" + (11).to_bytes(2, "big") + bytes([precision]) + rows.to_bytes(2, "big") + cols.to_bytes(2, "big") + b"\x01\x01\x11\x00"
    counts = [0] * 16
    counts[4] = 17
    out += b"\xff\xc4" + (2 + 1 + 16 + 17).to_bytes(2, "big") + b"\x00" + bytes(counts) + bytes(range(17))
    interval = restart_rows * cols
    out += b"\xff\xdd" + (4).to_bytes(2, "big") + interval.to_bytes(2, "big")
    out += b"\xff\xda" + (8).to_bytes(2, "big") + b"\x01\x01\x00" + bytes([predictor, 0, 0])
    acc, nbits = 0, 0
    data = bytearray()

    def put(value, n):
        nonlocal acc, nbits
        acc = (acc << n) | (value & ((1 << n) - 1)); nbits += n
        while nbits >= 8:
            nbits -= 8
            byte = (acc >> nbits) & 0xFF
            data.append(byte)
            if byte == 0xFF:
                data.append(0)

    def flush():
        nonlocal acc, nbits
        if nbits:
            put((1 << (8 - nbits)) - 1, 8 - nbits)
        acc = nbits = 0

    a = a.astype(np.int64)
    restarts = 0
    for y in range(rows):
        if y and y % restart_rows == 0:
            flush()
            data.extend(bytes([0xFF, 0xD0 + restarts % 8]))
            restarts += 1
        first_row = y % restart_rows == 0
        for x in range(cols):
            if first_row:
                p = 1 << (precision - 1) if x == 0 else a[y, x - 1]
            elif x == 0:
                p = a[y - 1, x]
            else:
                ra, rb, rc = a[y, x - 1], a[y - 1, x], a[y - 1, x - 1]
                p = [None, ra, rb, rc, ra + rb - rc, ra + ((rb - rc) >> 1), rb + ((ra - rc) >> 1), (ra + rb) >> 1][predictor]
            diff = int(a[y, x] - p) & 0xFFFF
            if diff >= 0x8000:
                diff -= 0x10000
            cat = 0 if diff == 0 else int(abs(diff)).bit_length()
            put(codes[cat], lengths[cat])
            if 0 < cat < 16:
                put(diff if diff > 0 else diff + (1 << cat) - 1, cat)
    flush()
    return bytes(out + data + b"\xff\xd9")


def main(ct, outdir):
    os.makedirs(outdir, exist_ok=True)
    entries = []

    def add(name, ds, frame, reference, source):
        stem = os.path.join(outdir, name)
        with open(stem + ".frame", "wb") as fh:
            fh.write(frame)
        dtype = np.uint8 if ds.BitsAllocated == 8 else np.dtype("<u2")
        with open(stem + ".reference", "wb") as fh:
            fh.write(np.asarray(reference).astype(dtype).tobytes())
        entries.append({"name": name, "transferSyntax": "1.2.840.10008.1.2.4.57", "descriptor": descriptor(ds),
                        "frames": [stem + ".frame"], "reference": [stem + ".reference"],
                        "referenceSource": source, "tolerance": 0})

    for bits in (8, 12, 16):
        ds, pixels = source_slice(ct, bits)
        native = os.path.join(outdir, f"native{bits}.dcm")
        ds.save_as(native, enforce_file_format=True)
        for sv in range(1, 8):
            for pt in (0, 2):
                name = f"dcmcjpeg_{bits}bit_sv{sv}_pt{pt}"
                out = os.path.join(outdir, name + ".dcm")
                subprocess.run(["dcmcjpeg", "+el", "+sv", str(sv), "+pt", str(pt), native, out], check=True, capture_output=True)
                c = pydicom.dcmread(out)
                frame = next(generate_frames(c.PixelData, number_of_frames=1))
                decompressed = os.path.join(outdir, name + ".native.dcm")
                subprocess.run(["dcmdjpeg", out, decompressed], check=True, capture_output=True)
                reference = pydicom.dcmread(decompressed).pixel_array
                if pt == 0 and not np.array_equal(reference, c.pixel_array):
                    raise SystemExit(f"{name}: dcmdjpeg and pydicom disagree")
                add(name, ds, frame, reference, "dcmdjpeg")
        for sv, restart_rows in ((1, 1), (4, 3), (7, 16)):
            name = f"restart_{bits}bit_sv{sv}_every{restart_rows}rows"
            frame = encode_lossless(pixels, bits, sv, restart_rows)
            # Accept our stream only if an independent decoder reads it back exactly.
            check = ds.copy()
            check.file_meta = ds.file_meta.copy()
            check.file_meta.TransferSyntaxUID = JPEGLossless
            check.PixelData = encapsulate([frame])
            check["PixelData"].is_undefined_length = True
            check["PixelData"].VR = "OB"
            decoded = check.pixel_array
            if not np.array_equal(decoded.astype(np.int64), pixels):
                raise SystemExit(f"{name}: pylibjpeg does not decode our restart stream to the source pixels")
            add(name, ds, frame, pixels, "source pixels (pylibjpeg-verified stream)")
    with open(os.path.join(outdir, "manifest.json"), "w") as fh:
        json.dump(entries, fh, indent=1)
    print(len(entries))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
