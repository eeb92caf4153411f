"""Reads a signed-report DICOM instance (as retrieved from the PACS) with pydicom and prints JSON:
its SOP class and instance UID, the verification of an SR and all its TEXT content, the text of an
Encapsulated PDF (pdftotext), the segment labels of a SEG.

usage: signed_report_check.py FILE
"""
import json
import subprocess
import sys
import tempfile

import pydicom


def texts(items):
    for item in items:
        if item.ValueType == "TEXT":
            yield str(item.TextValue)
        if "ContentSequence" in item:
            yield from texts(item.ContentSequence)


def main(path):
    ds = pydicom.dcmread(path)
    out = {"sopClass": ds.SOPClassUID, "sopInstance": ds.SOPInstanceUID, "study": ds.StudyInstanceUID,
           "modality": ds.Modality}
    if ds.Modality == "SR":
        out["verification"] = ds.VerificationFlag
        if ds.VerificationFlag == "VERIFIED":
            out["verifier"] = str(ds.VerifyingObserverSequence[0].VerifyingObserverName)
        out["text"] = "\n".join(texts(ds.ContentSequence))
    elif "EncapsulatedDocument" in ds:
        pdf = bytes(ds.EncapsulatedDocument)[: int(ds.EncapsulatedDocumentLength)]
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            out["text"] = subprocess.run(["pdftotext", f.name, "-"], check=True, capture_output=True, text=True).stdout
    elif ds.Modality == "SEG":
        out["segments"] = [str(s.SegmentLabel) for s in ds.SegmentSequence]
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
