#!/usr/bin/env python3
"""Builds a 512x512xN CT series from one real slice for the ingestion benchmark.

usage: make_series.py SOURCE_SLICE OUTDIR N
Writes OUTDIR/slice-XXXX.dcm (explicit VR little endian): the real 16-bit slice's pixels, each slice
shifted by a few rows so no two slices are identical, at 1 mm steps along z, one series. Files are
written in shuffled name order relative to position.
"""
import os
import random
import sys

import numpy as np
import pydicom
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def main():
    source, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    base = pydicom.dcmread(source)
    pixels = base.pixel_array
    series, study, frame = generate_uid(), generate_uid(), generate_uid()
    order = list(range(count))
    random.Random(1).shuffle(order)
    for name_index, k in enumerate(order):
        ds = pydicom.dcmread(source)
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.InstanceNumber = k + 1
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [-250.0, -250.0, -200.0 + k * 1.0]
        ds.SliceThickness = 1.0
        ds.PixelData = np.ascontiguousarray(np.roll(pixels, k % 32, axis=0)).tobytes()
        ds.save_as(os.path.join(out, f"slice-{name_index:04d}.dcm"), enforce_file_format=True)


if __name__ == "__main__":
    main()
