#!/usr/bin/env python3
"""Reference dump of DICOM files with pydicom, for the parser tests.

usage: dicom_dump.py elements FILE...     -> JSON list, one entry per file:
         {"file", "status": "ok"|"error", "error", "transfer_syntax", "meta": [...], "elements": [...]}
       each element: {"tag": "GGGGEEEE", "vr": VR as encoded (null for implicit VR), "hex": raw value bytes
       in the file's byte order, "items": [[...], ...] for sequences, "value": pydicom's decoded value
       (list of strings or numbers; null for bytes)}. Pixel Data (7FE0,0010) is left out.
       dicom_dump.py pixels OUTDIR FILE... -> for file k writes OUTDIR/k.raw, every frame's stored values
       as little-endian int32 (pydicom.pixels.pixel_array with as_rgb=False; where pydicom fails on a compressed
       file, GDCM's `gdcmconv --raw` output read by pydicom), and prints a JSON list of
       {"file", "status", "raw", "count", "shape"} or {"file", "status": "error", "error"}.
       dicom_dump.py frames OUTDIR FILE... -> for encapsulated file k writes each frame's bytes as split by
       pydicom.encaps.generate_frames to OUTDIR/k.f.bin and prints {"file", "status", "frames": [paths]}.
"""
import json
import subprocess
import sys

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

PIXEL_DATA = 0x7FE00010
TEXT_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
NUMBER_VRS = {"US", "SS", "UL", "SL", "FL", "FD", "SV", "UV"}


def normalise(value):
    """pydicom's converted value as a list of strings or numbers (null for binary data)."""
    if value is None or value == "":
        return []
    if isinstance(value, (bytes, bytearray)):
        return None
    values = list(value) if isinstance(value, (MultiValue, list, tuple)) else [value]
    out = []
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(float(v))
        else:
            out.append(str(v))
    return out


def dump(ds):
    elements = []
    for tag in sorted(ds._dict.keys()):
        if tag == PIXEL_DATA:
            continue
        raw = ds._dict[tag]
        entry = {"tag": f"{int(tag):08X}"}
        if isinstance(raw, RawDataElement):
            entry["vr"] = raw.VR
            entry["hex"] = (raw.value or b"").hex()
            try:
                elem = ds[tag]
                entry["converted_vr"] = elem.VR
                if isinstance(elem.value, Sequence):
                    entry["items"] = [dump(item) for item in elem.value]
                elif elem.VR in TEXT_VRS or elem.VR in NUMBER_VRS:
                    entry["value"] = normalise(elem.value)
            except Exception as exc:  # pydicom could not convert: record raw only
                entry["convert_error"] = str(exc)
        else:
            entry["vr"] = raw.VR
            if isinstance(raw.value, Sequence):
                entry["items"] = [dump(item) for item in raw.value]
            else:
                entry["value"] = normalise(raw.value) if raw.VR in TEXT_VRS | NUMBER_VRS else None
        elements.append(entry)
    return elements


def elements_mode(paths):
    result = []
    for path in paths:
        entry = {"file": path}
        try:
            try:
                ds = pydicom.dcmread(path)
            except pydicom.errors.InvalidDicomError:
                ds = pydicom.dcmread(path, force=True)  # read only when forced: not recognisably DICOM
                entry["forced"] = True
            entry["transfer_syntax"] = str(ds.file_meta.get("TransferSyntaxUID", "")) if ds.file_meta else ""
            entry["meta"] = dump(ds.file_meta) if ds.file_meta is not None else []
            entry["elements"] = dump(ds)
            entry["status"] = "ok"
        except Exception as exc:
            entry["status"] = "error"
            entry["error"] = f"{type(exc).__name__}: {exc}"
        result.append(entry)
    json.dump(result, sys.stdout)


def pixels_mode(out_dir, paths):
    import os
    import numpy as np
    from pydicom.pixels import pixel_array
    result = []
    for k, path in enumerate(paths):
        entry = {"file": path}
        try:
            ds = pydicom.dcmread(path, force=True)
            if "TransferSyntaxUID" not in ds.file_meta:  # no meta: use the encoding pydicom detected
                implicit, little = ds.original_encoding
                ds.file_meta.TransferSyntaxUID = (pydicom.uid.ImplicitVRLittleEndian if implicit else
                                                  pydicom.uid.ExplicitVRLittleEndian if little else
                                                  pydicom.uid.ExplicitVRBigEndian)
            arr = np.asarray(pixel_array(ds, as_rgb=False))
            entry["reference"] = "pydicom"
        except Exception as exc:
            # The data README's fallback reference: GDCM's decoder (gdcmconv --raw), read back by pydicom.
            arr = None
            entry.update(status="error", error=f"{type(exc).__name__}: {exc}")
            raw_copy = os.path.join(out_dir, f"{k}.gdcm.dcm")
            if ds.file_meta.TransferSyntaxUID.is_compressed and subprocess.run(["gdcmconv", "--raw", path, raw_copy], capture_output=True).returncode == 0:
                try:
                    arr = np.asarray(pixel_array(pydicom.dcmread(raw_copy), as_rgb=False))
                    entry["reference"] = "gdcmconv --raw"
                except Exception:
                    arr = None
        if arr is not None:
            out = os.path.join(out_dir, f"{k}.raw")
            arr.astype("<i4").tofile(out)
            entry.update(status="ok", raw=out, count=int(arr.size), shape=list(arr.shape))
        result.append(entry)
    json.dump(result, sys.stdout)


def frames_mode(out_dir, paths):
    """Encapsulated frames as pydicom.encaps.generate_frames splits them: OUTDIR/k.f.bin."""
    import os
    from pydicom.encaps import generate_frames
    result = []
    for k, path in enumerate(paths):
        entry = {"file": path}
        try:
            ds = pydicom.dcmread(path)
            n = int(ds.get("NumberOfFrames", 1) or 1)
            eot = None
            if "ExtendedOffsetTable" in ds and "ExtendedOffsetTableLengths" in ds:
                eot = (ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths)
            files = []
            for f, frame in enumerate(generate_frames(ds.PixelData, number_of_frames=n, extended_offsets=eot)):
                out = os.path.join(out_dir, f"{k}.{f}.bin")
                with open(out, "wb") as fh:
                    fh.write(frame)
                files.append(out)
            entry.update(status="ok", frames=files)
        except Exception as exc:
            entry.update(status="error", error=f"{type(exc).__name__}: {exc}")
        result.append(entry)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "elements":
        elements_mode(sys.argv[2:])
    elif sys.argv[1] == "frames":
        frames_mode(sys.argv[2], sys.argv[3:])
    else:
        pixels_mode(sys.argv[2], sys.argv[3:])
