"""Thick-slice version of a 1 mm fixture (issue 7's controlled test: same bone, thicker CT voxels).

Each output voxel is the mean density of a block of `bz` slices (and `bxy`×`bxy` pixels) of the input,
as a CT slice's partial volume; its label is the block's most frequent label (background included), as a
segmentation made on that CT would mark it. The grid keeps the input's orientation, voxel centres at the
blocks' centres. usage: thick_slice_fixture.py IN_DIR OUT_DIR BZ [BXY]
"""
import os
import sys

import nibabel as nib
import numpy as np

src, dst, bz = sys.argv[1], sys.argv[2], int(sys.argv[3])
bxy = int(sys.argv[4]) if len(sys.argv) > 4 else 1
d_img = nib.load(os.path.join(src, "density.nii.gz"))
l_img = nib.load(os.path.join(src, "labels.nii.gz"))
density = np.asarray(d_img.dataobj, dtype=np.float64)
labels = np.asarray(l_img.dataobj).astype(np.int32)
nx, ny, nz = (s // b for s, b in zip(density.shape, (bxy, bxy, bz)))
density = density[: nx * bxy, : ny * bxy, : nz * bz]
labels = labels[: nx * bxy, : ny * bxy, : nz * bz]
blocks = lambda a: a.reshape(nx, bxy, ny, bxy, nz, bz).transpose(0, 2, 4, 1, 3, 5).reshape(nx, ny, nz, -1)
out_density = blocks(density).mean(axis=-1).astype(np.float32)
lab_blocks = blocks(labels)
values = np.unique(labels)
counts = np.stack([(lab_blocks == v).sum(axis=-1) for v in values], axis=-1)
out_labels = values[counts.argmax(axis=-1)].astype(np.int16)
affine = d_img.affine.copy()
scale = np.array([bxy, bxy, bz], dtype=float)
affine[:3, 3] = d_img.affine[:3, :3] @ ((scale - 1) / 2) + d_img.affine[:3, 3]
affine[:3, :3] = d_img.affine[:3, :3] * scale
os.makedirs(dst, exist_ok=True)
nib.save(nib.Nifti1Image(out_density, affine), os.path.join(dst, "density.nii.gz"))
nib.save(nib.Nifti1Image(out_labels, affine), os.path.join(dst, "labels.nii.gz"))
print(f"{dst}: {out_density.shape} voxels of {bxy}×{bxy}×{bz} mm, labels {sorted(np.unique(out_labels).tolist())}")
