"""Resample a label map onto a different grid with scipy (nearest neighbour), as another tool would
have stored it: 2 mm voxels, x axis flipped (LAS), origin shifted. Usage: SRC DST."""
import sys
import numpy as np
import nibabel as nib
from scipy import ndimage

src = nib.load(sys.argv[1])
data = np.asanyarray(src.dataobj)
new_affine = np.diag([-2.0, 2.0, 2.0, 1.0])
extent = src.affine[:3, :3] @ (np.array(data.shape) - 1) + src.affine[:3, 3]
new_affine[:3, 3] = [max(extent[0], src.affine[0, 3]) + 1.0, src.affine[1, 3] - 1.0, src.affine[2, 3] - 1.0]
shape = tuple(int(np.ceil(abs(s * z / 2.0))) + 2 for s, z in zip(data.shape, src.header.get_zooms()[:3]))
# voxel of the new grid -> voxel of the source grid
m = np.linalg.inv(src.affine) @ new_affine
out = ndimage.affine_transform(data, m[:3, :3], offset=m[:3, 3], output_shape=shape, order=0, mode="constant", cval=0)
nib.save(nib.Nifti1Image(out.astype(np.uint8), new_affine), sys.argv[2])
