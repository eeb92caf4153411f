"""Reads OpenBCT's DICOM report objects with pydicom and highdicom and prints what they hold as JSON.

usage: report_dicom_check.py seg|sr|pdf FILE
       report_dicom_check.py geometry SEG_FILE SOURCE_DICOM_FOLDER
"""
import json
import sys

import highdicom as hd
import numpy as np
import pydicom


def seg(path):
    s = hd.seg.segread(path)
    out = {"segments": [], "frames": int(s.NumberOfFrames), "rows": int(s.Rows), "columns": int(s.Columns),
           "studyUID": s.StudyInstanceUID, "referencedSeries": [], "sourceInstances": 0}
    for d in s.SegmentSequence:
        out["segments"].append({
            "number": int(d.SegmentNumber), "label": d.SegmentLabel,
            "code": d.SegmentedPropertyTypeCodeSequence[0].CodeValue,
            "scheme": d.SegmentedPropertyTypeCodeSequence[0].CodingSchemeDesignator,
        })
    for r in getattr(s, "ReferencedSeriesSequence", []):
        out["referencedSeries"].append(r.SeriesInstanceUID)
        out["sourceInstances"] += len(r.ReferencedInstanceSequence)
    # Voxel counts per segment, from highdicom's own unpacking of the frames.
    counts = {}
    for d in s.SegmentSequence:
        n = int(d.SegmentNumber)
        frames = [i for i, f in enumerate(s.PerFrameFunctionalGroupsSequence)
                  if int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber) == n]
        px = s.pixel_array if s.NumberOfFrames > 1 else s.pixel_array[None]
        counts[str(n)] = int(np.asarray(px[frames]).sum())
    out["voxels"] = counts
    positions = [[float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient] for f in s.PerFrameFunctionalGroupsSequence]
    out["firstPosition"] = positions[0]
    return out


def sr(path):
    ds = pydicom.dcmread(path)
    doc = hd.sr.srread(path)
    report = hd.sr.MeasurementReport.from_sequence([doc], is_root=True)
    groups = report.get_image_measurement_groups()
    out = {"template": ds.ContentTemplateSequence[0].TemplateIdentifier,
           "verification": ds.VerificationFlag, "studyUID": ds.StudyInstanceUID,
           "groups": [], "evidenceInstances": 0}
    for g in groups:
        out["groups"].append({
            "tracking": g.tracking_identifier,
            "site": g.finding_sites[0].value.value if g.finding_sites else None,
            "measurements": [{"code": m.name.value, "scheme": m.name.scheme_designator, "value": float(m.value),
                              "unit": m.unit.value} for m in g.get_measurements()],
            "evaluations": [{"code": e.name.value, "value": e.value.value} for e in g.get_qualitative_evaluations()],
        })
    for st in ds.CurrentRequestedProcedureEvidenceSequence:
        for se in st.ReferencedSeriesSequence:
            out["evidenceInstances"] += len(se.ReferencedSOPSequence)
    if ds.VerificationFlag == "VERIFIED":
        out["verifier"] = str(ds.VerifyingObserverSequence[0].VerifyingObserverName)
    return out


def geometry(path, source_dir):
    """Per SEG frame: distance (mm) between its plane position and its derivation source image's
    ImagePositionPatient, and whether the orientations agree."""
    import glob
    seg = pydicom.dcmread(path)
    sources = {}
    for f in glob.glob(source_dir + "/**/*", recursive=True):
        try:
            d = pydicom.dcmread(f, stop_before_pixels=True)
        except Exception:
            continue
        sources[d.SOPInstanceUID] = d
    orientation = [float(v) for v in seg.SharedFunctionalGroupsSequence[0].PlaneOrientationSequence[0].ImageOrientationPatient]
    worst, referenced, same_orientation = 0.0, 0, True
    for f in seg.PerFrameFunctionalGroupsSequence:
        if "DerivationImageSequence" not in f:
            continue
        uid = f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        src = sources[uid]
        referenced += 1
        p = np.array([float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient])
        q = np.array([float(v) for v in src.ImagePositionPatient])
        worst = max(worst, float(np.linalg.norm(p - q)))
        same_orientation &= bool(np.allclose(orientation, [float(v) for v in src.ImageOrientationPatient], atol=1e-4))
        same_orientation &= int(src.Rows) == int(seg.Rows) and int(src.Columns) == int(seg.Columns)
    return {"frames": int(seg.NumberOfFrames), "referenced": referenced, "worstDistance": worst,
            "sameOrientation": same_orientation}


def pdf(path):
    ds = pydicom.dcmread(path)
    doc = bytes(ds.EncapsulatedDocument)[: int(ds.EncapsulatedDocumentLength)]
    return {"mime": ds.MIMETypeOfEncapsulatedDocument, "studyUID": ds.StudyInstanceUID,
            "title": ds.DocumentTitle, "length": len(doc), "startsWithPDF": doc.startswith(b"%PDF"),
            "sourceInstances": len(getattr(ds, "SourceInstanceSequence", []))}


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "geometry":
        print(json.dumps(geometry(path, sys.argv[3])))
    else:
        print(json.dumps({"seg": seg, "sr": sr, "pdf": pdf}[kind](path)))
