#!/usr/bin/env python3
"""Sets AccessionNumber (and optionally PatientID) in every DICOM file of a folder, in place, with
pydicom: a PACS study carries the accession number of its order. Prints the StudyInstanceUID.

usage: service_set_accession.py FOLDER ACCESSION [PATIENT_ID]
"""
import os
import sys

import pydicom


def main():
    folder, accession = sys.argv[1], sys.argv[2]
    patient_id = sys.argv[3] if len(sys.argv) > 3 else None
    studies = set()
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        ds = pydicom.dcmread(path)
        ds.AccessionNumber = accession
        if patient_id is not None:
            ds.PatientID = patient_id
        ds.save_as(path, enforce_file_format=True)
        studies.add(ds.StudyInstanceUID)
    if len(studies) != 1:
        sys.exit(f"expected one study in {folder}, found {len(studies)}")
    print(studies.pop())


if __name__ == "__main__":
    main()
