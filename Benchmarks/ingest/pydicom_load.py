#!/usr/bin/env python3
"""Peer: pydicom (+ pylibjpeg plugins) reads every file, orders by position along the normal, and
stacks a float32 HU volume with numpy. usage: pydicom_load.py FOLDER"""
import os
import sys

import numpy as np
import pydicom

folder = sys.argv[1]
slices = [pydicom.dcmread(os.path.join(folder, f)) for f in os.listdir(folder) if f.endswith(".dcm")]
normal = np.cross(*np.reshape(np.asarray(slices[0].ImageOrientationPatient, float), (2, 3)))
slices.sort(key=lambda d: float(np.dot(np.asarray(d.ImagePositionPatient, float), normal)))
volume = np.empty((len(slices), slices[0].Rows, slices[0].Columns), np.float32)
for k, d in enumerate(slices):
    volume[k] = d.pixel_array * np.float32(d.RescaleSlope) + np.float32(d.RescaleIntercept)
print(volume.shape, float(volume.mean()))
