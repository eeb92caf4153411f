#!/usr/bin/env python3
"""Prints the SOP Instance UIDs of a single-series DICOM folder in stack order (increasing position
along the slice normal, pydicom), one per line, as a reader must order them.

usage: series_uid_order.py FOLDER
"""
import os
import sys

import numpy as np
import pydicom


def main():
    folder = sys.argv[1]
    slices = []
    for name in os.listdir(folder):
        ds = pydicom.dcmread(os.path.join(folder, name), stop_before_pixels=True)
        iop = np.array([float(v) for v in ds.ImageOrientationPatient])
        normal = np.cross(iop[:3], iop[3:])
        position = float(np.dot(normal, [float(v) for v in ds.ImagePositionPatient]))
        slices.append((position, ds.SOPInstanceUID))
    for _, uid in sorted(slices):
        print(uid)


if __name__ == "__main__":
    main()
