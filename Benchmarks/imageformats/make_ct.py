#!/usr/bin/env python3
"""Writes a synthetic 512×512×400 float32 CT-like volume (HU, rounded, with noise) as DIR/ct.nii and
DIR/ct.nii.gz with nibabel. Body ellipse 40 HU, fat rim -100, lungs -850, a spine-like bone
cylinder 700 HU, air -1000, Gaussian noise σ = 15 HU: compresses about like a real CT."""
import sys

import nibabel as nib
import numpy as np

nx, ny, nz = 512, 512, 400
rng = np.random.default_rng(1)
y, x = np.mgrid[0:ny, 0:nx].astype(np.float32)
x = (x - 256) / 230
y = (y - 256) / 160
r2 = x * x + y * y
slice_ = np.full((ny, nx), -1000, np.float32)
slice_[r2 < 1.0] = -100
slice_[r2 < 0.85] = 40
lungs = ((x - 0.45) ** 2 / 0.09 + (y + 0.1) ** 2 / 0.3 < 1) | ((x + 0.45) ** 2 / 0.09 + (y + 0.1) ** 2 / 0.3 < 1)
slice_[lungs] = -850
slice_[(x ** 2 / 0.006 + (y - 0.55) ** 2 / 0.01) < 1] = 700
vol = np.empty((nx, ny, nz), np.float32)
for k in range(nz):
    vol[:, :, k] = np.round(slice_ + rng.normal(0, 15, (ny, nx)).astype(np.float32)).T
aff = np.diag([-0.78125, -0.78125, 1.25, 1.0])
aff[:3, 3] = [200, 200, -250]
img = nib.Nifti1Image(vol, aff)
nib.save(img, f"{sys.argv[1]}/ct.nii")
nib.save(img, f"{sys.argv[1]}/ct.nii.gz")
