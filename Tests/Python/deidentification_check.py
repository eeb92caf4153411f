"""Independent check of a de-identified CT export (pydicom + the PS3.15 table of dicom-anonymizer).

usage:
  deidentification_check.py table ROWS_TSV
      ROWS_TSV: "GGGGEEEE<TAB>code" lines (OpenBCT's table). Each code must equal the Basic Profile
      code of PS3.15 Table E.1-1 (2026c) as packaged by dicom-anonymizer. Prints "ok <n>".
  deidentification_check.py export ORIGINAL_DIR EXPORT_DIR [DUMMY]
      Checks every exported file against the profile: no private attributes; X attributes absent;
      Z attributes empty; U attributes replaced, consistently (one new UID per original UID across the
      export); Patient Identity Removed YES with code DCM 113100; no identifying value of the
      originals anywhere in the exported bytes; pixel data unchanged. Prints "ok <files> <checks>".
      DUMMY: a pseudonym accepted in Z attributes (PS3.15 E.1.1: "a zero length value, or a non-zero
      length value that may be a dummy value").
"""
import os
import sys

import numpy as np
import pydicom
from dicomanonymizer.dicomfields_selector import dicom_anonymization_database_selector

DB = dicom_anonymization_database_selector("dicomfields_2026c")
CODES = {"X_TAGS": "X", "Z_TAGS": "Z", "D_TAGS": "D", "U_TAGS": "U", "Z_D_TAGS": "Z/D", "X_Z_TAGS": "X/Z",
         "X_D_TAGS": "X/D", "X_Z_D_TAGS": "X/Z/D", "X_Z_U_STAR_TAGS": "X/Z/U*"}
PROFILE = {}
for category, code in CODES.items():
    for t in DB[category]:
        if len(t) == 2:
            PROFILE[(t[0] << 16) | t[1]] = code


def fail(message):
    sys.exit(message)  # to stderr, exit status 1


if sys.argv[1] == "table":
    n = 0
    for line in open(sys.argv[2]):
        tag, code = line.split()
        expected = PROFILE.get(int(tag, 16))
        if expected != code:
            fail(f"({tag[:4]},{tag[4:]}): OpenBCT says {code}, PS3.15 2026c says {expected}")
        n += 1
    print("ok", n)
    sys.exit(0)

original_dir, export_dir = sys.argv[2], sys.argv[3]
dummy = sys.argv[4] if len(sys.argv) > 4 else None
originals = [pydicom.dcmread(os.path.join(original_dir, f)) for f in sorted(os.listdir(original_dir))]
exports = [pydicom.dcmread(os.path.join(export_dir, f)) for f in sorted(os.listdir(export_dir))]
if len(originals) != len(exports):
    fail(f"{len(originals)} originals but {len(exports)} exported files")

# Pair files by pixel content position: InstanceNumber and ImagePositionPatient are kept.
def key(ds):
    return (int(ds.InstanceNumber), tuple(float(x) for x in ds.ImagePositionPatient))
by_key = {key(ds): ds for ds in exports}
uid_map, checks = {}, 0
identifying = set()
for ds in originals:
    for element in ds.iterall():
        code = PROFILE.get(int(element.tag))
        if code and code != "U" and element.VR in ("PN", "LO", "SH", "ST", "LT", "DA", "TM", "DT") and str(element.value).strip():
            text = str(element.value).strip()
            # Short digit strings occur by chance in the new random UIDs: only longer ones count.
            if len(text) >= 4 and not (text.isdigit() and len(text) < 8):
                identifying.add(text)
        if element.VR == "UI" and element.value and not str(element.value).startswith("1.2.840.10008."):
            identifying.add(str(element.value))
# A value that also sits in an attribute the profile keeps (PatientID "TOSHIBA" = Manufacturer) is
# not evidence of a leak.
retained = {str(e.value).strip() for ds in originals for e in ds.iterall()
            if int(e.tag) not in PROFILE and not e.tag.is_private and e.VR not in ("SQ", "OB", "OW", "UN")}
identifying -= retained

for original in originals:
    out = by_key.get(key(original))
    if out is None:
        fail(f"no exported file for instance {key(original)}")
    for element in out.iterall():
        if element.tag.is_private:
            fail(f"private attribute {element.tag} kept")
    for element in original:
        code = PROFILE.get(int(element.tag))
        if code is None or element.tag.is_private:
            continue
        checks += 1
        present = element.tag in out
        if code == "X" and present:
            fail(f"{element.keyword} should be removed (X)")
        if code == "Z" and present and out[element.tag].value not in (None, "", []) \
                and (dummy is None or str(out[element.tag].value) != dummy):
            fail(f"{element.keyword} should be empty (Z), is {out[element.tag].value!r}")
        if code in ("X/Z", "X/D", "X/Z/D", "Z/D", "D") and present and element.value not in (None, "", []) \
                and out[element.tag].value == element.value:
            fail(f"{element.keyword} ({code}) kept its original value")
        if code == "U":
            if not present:
                fail(f"{element.keyword} (U) missing")
            new, old = str(out[element.tag].value), str(element.value)
            if new == old:
                fail(f"{element.keyword} UID not replaced")
            if uid_map.setdefault(old, new) != new:
                fail(f"{element.keyword}: UID {old} mapped inconsistently")
    if out.get("PatientIdentityRemoved") != "YES":
        fail("PatientIdentityRemoved is not YES")
    code_item = out.DeidentificationMethodCodeSequence[0]
    if (code_item.CodeValue, code_item.CodingSchemeDesignator) != ("113100", "DCM"):
        fail("DeidentificationMethodCodeSequence is not DCM 113100")
    if not np.array_equal(original.pixel_array, out.pixel_array):
        fail(f"pixel data changed in instance {key(original)}")
    checks += 3

for name in sorted(os.listdir(export_dir)):
    raw = open(os.path.join(export_dir, name), "rb").read()
    for value in identifying:
        if value.encode("latin-1", "replace") in raw:
            fail(f"{name}: identifying value {value!r} of an original is still in the file")
    checks += 1

studies = {str(ds.StudyInstanceUID) for ds in exports}
series = {str(ds.SeriesInstanceUID) for ds in exports}
if len(studies) != len({str(ds.StudyInstanceUID) for ds in originals}) or len(series) != len({str(ds.SeriesInstanceUID) for ds in originals}):
    fail("study/series grouping changed")
print("ok", len(exports), checks)
