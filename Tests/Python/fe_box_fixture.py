#!/usr/bin/env python3
"""Write a small synthetic vertebra for CLI tests with nibabel: a 10×10×12 mm box labelled 20 with
density 200 mg/cm³ (K2HPO4) on a 1 mm RAS grid with margin.

usage: fe_box_fixture.py OUTDIR   (writes density.nii.gz and labels.nii.gz)
"""
import os, sys

import nibabel as nib
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
density = np.zeros((20, 20, 24), dtype=np.float32)
labels = np.zeros((20, 20, 24), dtype=np.int16)
density[5:15, 5:15, 6:18] = 200
labels[5:15, 5:15, 6:18] = 20
affine = np.diag([1.0, 1.0, 1.0, 1.0])
affine[:3, 3] = [-10, 20, 100]
nib.save(nib.Nifti1Image(density, affine), os.path.join(out, "density.nii.gz"))
nib.save(nib.Nifti1Image(labels, affine), os.path.join(out, "labels.nii.gz"))
