#!/usr/bin/env python3
"""Times nibabel reading (into memory, not a lazy memmap) and writing DIR/ct.nii[.gz]; prints one JSON line."""
import json
import sys
import time

import nibabel as nib
import numpy as np

folder, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
results = {}
for ext in ("nii", "nii.gz"):
    reads, writes = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        img = nib.load(f"{folder}/ct.{ext}", mmap=False)
        data = np.asarray(img.dataobj, dtype=np.float32)
        reads.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        nib.save(nib.Nifti1Image(data, img.affine), f"{folder}/nibabel-out.{ext}")
        writes.append(time.perf_counter() - t0)
    results[f"read_{ext}"] = min(reads)
    results[f"write_{ext}"] = min(writes)
results["megabytes"] = data.nbytes / 1e6
print(json.dumps(results, sort_keys=True))
