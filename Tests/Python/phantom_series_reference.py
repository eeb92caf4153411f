#!/usr/bin/env python3
"""Reads a phantom's DICOM series with pydicom and its NIfTI files with nibabel, independently of
OpenBCT, and writes what they found for the Swift tests to compare:

  OUT/series.raw      int16 little-endian pixel values (pydicom pixel_array, rescaled to HU), slices
                      sorted by ImagePositionPatient along the slice normal
  OUT/reference.json  per-series geometry (origin, spacing, orientation, rows, columns, slices,
                      rescale), and for each NIfTI file its shape, dtype and RAS affine (nibabel)

usage: phantom_series_reference.py PHANTOM_DIR OUT_DIR
"""
import glob
import json
import os
import sys

import nibabel
import numpy as np
import pydicom


def main():
    phantom, out = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(phantom, "dicom", "*.dcm")))
    datasets = [pydicom.dcmread(f) for f in files]
    row = np.array([float(v) for v in datasets[0].ImageOrientationPatient[:3]])
    col = np.array([float(v) for v in datasets[0].ImageOrientationPatient[3:]])
    normal = np.cross(row, col)
    datasets.sort(key=lambda d: float(np.dot(normal, [float(v) for v in d.ImagePositionPatient])))
    positions = [[float(v) for v in d.ImagePositionPatient] for d in datasets]
    steps = np.diff([np.dot(normal, p) for p in positions])
    volume = np.stack([d.pixel_array.astype(np.float64) * float(d.RescaleSlope) + float(d.RescaleIntercept)
                       for d in datasets])
    assert np.all(volume == np.round(volume)), "HU are not integers"
    volume.astype("<i2").tofile(os.path.join(out, "series.raw"))
    first = datasets[0]
    reference = {
        "files": len(files),
        "rows": int(first.Rows), "columns": int(first.Columns),
        "origin": positions[0],
        "pixelSpacing": [float(v) for v in first.PixelSpacing],
        "sliceSpacing": float(np.mean(steps)) if len(steps) else 0.0,
        "sliceSpacingRange": float(np.ptp(steps)) if len(steps) else 0.0,
        "orientation": [float(v) for v in first.ImageOrientationPatient],
        "sopClassUIDs": sorted({str(d.SOPClassUID) for d in datasets}),
        "seriesUIDs": sorted({str(d.SeriesInstanceUID) for d in datasets}),
        "kvp": float(first.KVP),
        "sliceThickness": float(first.SliceThickness),
        "nifti": {},
    }
    for name in ["hu.nii.gz", "density.nii.gz", "labels.nii.gz"]:
        image = nibabel.load(os.path.join(phantom, name))
        data = np.asanyarray(image.dataobj)
        reference["nifti"][name] = {
            "shape": list(data.shape), "dtype": str(data.dtype),
            "affine": image.affine.tolist(),
            "sum": float(np.sum(data, dtype=np.float64)),
        }
        if name == "hu.nii.gz":
            # The NIfTI CT must hold the same numbers as the DICOM series (x fastest, z slowest).
            reference["nifti"][name]["equalsSeries"] = bool(np.array_equal(np.transpose(data, (2, 1, 0)), volume))
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(reference, f)


if __name__ == "__main__":
    main()
