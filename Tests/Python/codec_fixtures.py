#!/usr/bin/env python3
"""Extract every compressed frame of the DICOM files under ROOT, with its frame descriptor and
reference pixels, so the Swift codec tests can decode the frames without a DICOM parser.

usage: codec_fixtures.py ROOT OUTDIR

Writes OUTDIR/manifest.json: a list of entries
  {name, transferSyntax, descriptor{...}, frames: [file], reference: [file] | null, referenceSource, tolerance}
Frame files hold the encapsulated bytes of one frame (fragments joined, pydicom's
generate_frames). Reference files hold the decoded frame exactly as uncompressed DICOM pixel data
of the descriptor (little-endian, BitsAllocated/8 bytes per sample, PlanarConfiguration order).
Reference decoder: pydicom + pylibjpeg plugins; where pydicom fails, dcmtk (dcmdjpeg / dcmdjpls /
dcmdrle) and then `gdcmconv --raw`; reference null means no reference decoder could read the frame.
12-bit DCT JPEG (4.51/4.53/4.55) is compared with dcmtk's dcmdjpeg (the IJG 12-bit codec, T.81's
reference implementation): pydicom's libjpeg itself differs from it by 1 on ~4 % of pixels.

Tolerance (max |difference| allowed): 0 for lossless syntaxes; 1 for lossy ones (IDCT rounding);
3 for colour DCT JPEG converted from YCbCr to RGB, where ±1 in a chroma sample becomes up to
±1.772 (+1 rounding) in R/G/B.
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pydicom
from pydicom.encaps import generate_frames

warnings.simplefilter("ignore")

LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.53",
         "1.2.840.10008.1.2.4.55", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91",
         "1.2.840.10008.1.2.4.203"}
TWELVE_BIT_DCT = {"1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.53", "1.2.840.10008.1.2.4.55"}


def descriptor(ds):
    return {
        "rows": int(ds.Rows), "columns": int(ds.Columns),
        "samplesPerPixel": int(ds.get("SamplesPerPixel", 1)),
        "bitsAllocated": int(ds.BitsAllocated), "bitsStored": int(ds.get("BitsStored", ds.BitsAllocated)),
        "pixelRepresentation": int(ds.get("PixelRepresentation", 0)),
        "planarConfiguration": int(ds.get("PlanarConfiguration", 0) or 0),
        "photometricInterpretation": str(ds.get("PhotometricInterpretation", "MONOCHROME2")),
    }


def as_dicom_layout(arr, d, frames):
    """pydicom's (frames, rows, cols[, samples]) array → native DICOM bytes per frame."""
    dtype = {8: np.uint8, 16: np.uint16, 32: np.uint32}[d["bitsAllocated"]]
    arr = np.asarray(arr)
    arr = arr.reshape((frames, d["rows"], d["columns"], d["samplesPerPixel"]))
    if arr.dtype.itemsize == np.dtype(dtype).itemsize:
        arr = arr.view(dtype)
    else:
        arr = arr.astype(np.int64).astype(dtype)
    out = []
    for f in range(frames):
        a = arr[f]
        if d["planarConfiguration"] == 1 and d["samplesPerPixel"] > 1:
            a = np.moveaxis(a, -1, 0)
        out.append(np.ascontiguousarray(a).astype(np.dtype(dtype).newbyteorder("<")).tobytes())
    return out


def reference_by_tools(path, ts):
    """Decompress with dcmtk or gdcm into a native file and read that with pydicom."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "native.dcm")
        tools = []
        if ts.startswith("1.2.840.10008.1.2.4.5") or ts.startswith("1.2.840.10008.1.2.4.70"):
            tools.append(["dcmdjpeg", path, out])
        if ts in ("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"):
            tools.append(["dcmdjpls", path, out])
        if ts == "1.2.840.10008.1.2.5":
            tools.append(["dcmdrle", path, out])
        tools.append(["gdcmconv", "--raw", path, out])
        for cmd in tools:
            r = subprocess.run(cmd, capture_output=True)
            if r.returncode == 0 and os.path.exists(out):
                try:
                    return pydicom.dcmread(out).pixel_array, cmd[0]
                except Exception:
                    pass
    return None, None


def main(root, outdir):
    os.makedirs(outdir, exist_ok=True)
    entries = []
    for dirpath, _, files in os.walk(root):
        for fname in sorted(files):
            path = os.path.join(dirpath, fname)
            try:
                ds = pydicom.dcmread(path)
                ts = str(ds.file_meta.TransferSyntaxUID)
            except Exception:
                continue
            if not pydicom.uid.UID(ts).is_compressed or "PixelData" not in ds or ts == "1.2.840.10008.1.2.1.99":
                continue
            try:
                d = descriptor(ds)
                n = int(ds.get("NumberOfFrames", 1) or 1)
                frames = list(generate_frames(ds.PixelData, number_of_frames=n))
            except Exception:
                continue
            rel = os.path.relpath(path, root)
            stem = rel.replace(os.sep, "__")
            colour_dct = d["samplesPerPixel"] == 3 and ts.startswith("1.2.840.10008.1.2.4.5") and ts != "1.2.840.10008.1.2.4.57"
            entry = {"name": rel, "transferSyntax": ts, "descriptor": d, "frames": [], "reference": None,
                     "referenceSource": None, "tolerance": (3 if colour_dct else 1) if ts in LOSSY else 0}
            for i, frame in enumerate(frames):
                fp = os.path.join(outdir, f"{stem}.{i}.frame")
                with open(fp, "wb") as fh:
                    fh.write(frame)
                entry["frames"].append(fp)
            arr = None
            if ts in TWELVE_BIT_DCT and d["bitsStored"] > 8:
                arr, source = reference_by_tools(path, ts)
            if arr is None:
                try:
                    arr, source = ds.pixel_array, "pydicom"
                except Exception:
                    arr, source = reference_by_tools(path, ts)
            if arr is not None and arr.size == len(frames) * d["rows"] * d["columns"] * d["samplesPerPixel"]:
                entry["referenceSource"] = source
                entry["reference"] = []
                for i, raw in enumerate(as_dicom_layout(arr, d, len(frames))):
                    rp = os.path.join(outdir, f"{stem}.{i}.reference")
                    with open(rp, "wb") as fh:
                        fh.write(raw)
                    entry["reference"].append(rp)
            entries.append(entry)
    with open(os.path.join(outdir, "manifest.json"), "w") as fh:
        json.dump(entries, fh, indent=1)
    print(len(entries))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
