#!/usr/bin/env python3
"""Pixel-codec decode speed: openbct (PixelCodecs) against pydicom + pylibjpeg, dcmtk and gdcm on the
same real 512×512 16-bit CT frame, run side by side.

usage: Benchmarks/codecs/run.py [--repeats N] [--no-build]
  (from the repository root; needs ../shared/data, a release build of `openbct`, pydicom + pylibjpeg
  plugins, dcmtk, gdcm and opj_compress)

Frames: the shared one-ct-15-syntaxes slice in JPEG 2000 lossless (as shipped, and re-encoded here
with opj_compress: 5 resolutions, one tile), JPEG lossless SV1 (4.70) and selection value 1 of 4.57,
JPEG-LS lossless and RLE. openbct and pydicom time the decode of the frame in memory (median of N);
dcmdjpeg / dcmdjpls / dcmdrle / gdcmconv run once per file as a process (median of 5, process start
and file I/O included — an upper bound for them).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pydicom
from pydicom.encaps import encapsulate, generate_frames
from pydicom.pixels import get_decoder

warnings.simplefilter("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data", "dicom", "one-ct-15-syntaxes")
SLICE = "CTImage.dcm"
FILES = [
    ("JPEG 2000 lossless (as shipped)", "CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm", "gdcmconv"),
    ("JPEG lossless SV1 (4.70)", "CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm", "dcmdjpeg"),
    ("JPEG lossless (4.57)", "CTImage.dcm_JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57.dcm", "dcmdjpeg"),
    ("JPEG-LS lossless (4.80)", "CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm", "dcmdjpls"),
    ("RLE lossless", "CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm", "dcmdrle"),
]


def opj_encoded(tmp):
    """The same slice re-encoded as JPEG 2000 lossless with OpenJPEG's encoder, in a DICOM file."""
    ds = pydicom.dcmread(os.path.join(SHARED, SLICE))
    raw = os.path.join(tmp, "slice.raw")
    ds.pixel_array.astype("<i2").tofile(raw)
    j2k = os.path.join(tmp, "slice.j2k")
    subprocess.run(["opj_compress", "-i", raw, "-o", j2k, "-F", f"{ds.Columns},{ds.Rows},1,16,s@1x1", "-n", "5"],
                   check=True, capture_output=True)
    with open(j2k, "rb") as fh:
        frame = fh.read()
    ds.PixelData = encapsulate([frame])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = pydicom.uid.JPEG2000Lossless
    path = os.path.join(tmp, "opj_compress.dcm")
    ds.save_as(path, enforce_file_format=True)
    return path


def time_process(cmd, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "openbct"], cwd=ROOT, check=True)
    openbct = os.path.join(ROOT, ".build", "release", "openbct")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = [(label, os.path.join(SHARED, name), tool) for label, name, tool in FILES]
        files.insert(1, ("JPEG 2000 lossless (opj_compress)", opj_encoded(tmp), "gdcmconv"))
        for label, path, tool in files:
            ds = pydicom.dcmread(path)
            ts = str(ds.file_meta.TransferSyntaxUID)
            frame = next(generate_frames(ds.PixelData, number_of_frames=1))
            frame_path = os.path.join(tmp, "frame.bin")
            with open(frame_path, "wb") as fh:
                fh.write(frame)
            out = subprocess.run([openbct, "codec-bench", frame_path, "--transfer-syntax", ts, "--rows", str(ds.Rows),
                                  "--columns", str(ds.Columns), "--bits-stored", str(ds.BitsStored),
                                  "--pixel-representation", str(ds.PixelRepresentation), "--repeats", str(args.repeats)],
                                 check=True, capture_output=True, text=True).stdout
            ours = json.loads(out)
            decoder = get_decoder(ts)
            decoder.as_array(ds)  # warm-up
            times = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                decoder.as_array(ds)
                times.append(time.perf_counter() - t)
            theirs = statistics.median(times)
            megabytes = ds.Rows * ds.Columns * 2 / 1e6
            native = os.path.join(tmp, "native.dcm")
            tool_cmd = ["gdcmconv", "--raw", path, native] if tool == "gdcmconv" else [tool, path, native]
            tool_s = time_process(tool_cmd)
            rows.append((label, len(frame), ours["MBps_median"], megabytes / theirs, ours["MBps_median"] / (megabytes / theirs),
                         tool, tool_s * 1e3, ours["median_ms"]))
    print(f"# PixelCodecs decode, 512×512 16-bit CT frame, median of {args.repeats} (threads: {ours['threads']})")
    print("| frame | bytes | openbct MB/s | pydicom+pylibjpeg MB/s | ratio | reference tool (process) ms | openbct ms |")
    print("|---|---|---|---|---|---|---|")
    for label, size, o, p, r, tool, tms, oms in rows:
        print(f"| {label} | {size} | {o:.0f} | {p:.0f} | {r:.2f}× | {tool} {tms:.0f} | {oms:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
