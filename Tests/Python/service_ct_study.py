#!/usr/bin/env python3
"""Writes a small CT study with pydicom for the service tests: N axial slices (64x64, 1 mm) of one
series, with the given accession number and patient ID, as Part-10 files OUTDIR/NNN.dcm. Prints the
StudyInstanceUID.

usage: service_ct_study.py OUTDIR N ACCESSION PATIENT_ID
"""
import os
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"


def main():
    out, n, accession, patient_id = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.makedirs(out, exist_ok=True)
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    for k in range(n):
        sop = generate_uid()
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT_STORAGE
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID, ds.SOPInstanceUID = CT_STORAGE, sop
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.Modality, ds.AccessionNumber, ds.PatientID, ds.PatientName = "CT", accession, patient_id, "Test^Patient"
        ds.StudyDate, ds.StudyTime, ds.SeriesNumber, ds.InstanceNumber = "20260101", "120000", 1, k + 1
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.KVP, ds.SliceThickness = 120, 1.0
        ds.ImagePositionPatient = [-32.0, -32.0, float(k)]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [1.0, 1.0]
        ds.Rows = ds.Columns = 64
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope = 0, 1
        yy, xx = np.mgrid[0:64, 0:64]
        image = np.where((xx - 32) ** 2 + (yy - 32) ** 2 < 20 ** 2, 300, -1000).astype(np.int16)
        ds.PixelData = image.tobytes()
        ds.save_as(os.path.join(out, f"{k:03d}.dcm"), enforce_file_format=True)
    print(study)


if __name__ == "__main__":
    main()
