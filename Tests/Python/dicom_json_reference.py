"""pydicom's view of the DICOM JSON model, for checking OpenBCT's encoder and decoder.

usage:
  dicom_json_reference.py compare DICOM_FILE JSON_FILE
      reads JSON_FILE (one data set, written by OpenBCT) with pydicom's Dataset.from_json and
      compares every non-bulk top-level attribute with pydicom's reading of DICOM_FILE; prints
      "ok <n>" with the number compared, or the mismatches and exits 1.
  dicom_json_reference.py to-json DICOM_FILE
      prints pydicom's DICOM JSON of DICOM_FILE (bulk data left out).
"""
import json
import sys

import pydicom
from pydicom.dataset import Dataset

BULK = {"OB", "OD", "OF", "OL", "OV", "OW", "UN"}


def normalise(element):
    value = element.value
    if element.VR == "SQ":
        return [sorted((str(e.tag), normalise(e)) for e in item if e.VR not in BULK) for item in value]
    values = value if isinstance(value, (list, pydicom.multival.MultiValue)) else [value]
    out = []
    for v in values:
        if v is None or v == "":
            continue
        if element.VR in ("DS", "FL", "FD"):
            out.append(round(float(v), 6))
        elif element.VR in ("IS", "US", "SS", "UL", "SL", "SV", "UV"):
            out.append(int(v))
        else:
            out.append(str(v).strip())
    return out


if sys.argv[1] == "compare":
    original = pydicom.dcmread(sys.argv[2], stop_before_pixels=True)
    with open(sys.argv[3]) as f:
        model = json.load(f)
    # Attributes outside OpenBCT's dictionary in an implicit-VR file go out as UN bytes (documented);
    # pydicom cannot re-type those from JSON, so they are left out of the comparison.
    unknown = {k for k, v in model.items() if v.get("vr") == "UN"}
    converted = Dataset.from_json({k: v for k, v in model.items() if k not in unknown})
    mismatches, compared = [], 0
    for element in original:
        if element.VR in BULK or element.tag.is_private or element.tag.element == 0:
            continue
        if "%08X" % int(element.tag) in unknown:
            continue
        compared += 1
        if element.tag not in converted:
            mismatches.append(f"{element.tag} {element.keyword}: missing")
            continue
        a, b = normalise(element), normalise(converted[element.tag])
        if a != b:
            mismatches.append(f"{element.tag} {element.keyword}: {a!r} != {b!r}")
    if mismatches:
        sys.exit("\n".join(mismatches))
    print("ok", compared)
elif sys.argv[1] == "to-json":
    ds = pydicom.dcmread(sys.argv[2], stop_before_pixels=True)
    for element in list(ds):
        if element.tag.is_private or element.VR in BULK:
            del ds[element.tag]
    print(ds.to_json())
