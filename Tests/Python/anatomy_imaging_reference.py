"""scipy.ndimage references for the Anatomy imaging blocks. Usage: MASK.nii.gz → JSON on stdout:
exact EDT (anisotropic sampling) to the set voxels, component counts (6/26), 3-D hole-filled count."""
import json
import sys
import numpy as np
import nibabel as nib
from scipy import ndimage

img = nib.load(sys.argv[1])
m = np.asanyarray(img.dataobj) > 0
zooms = img.header.get_zooms()[:3]
edt = ndimage.distance_transform_edt(~m, sampling=zooms)
six = ndimage.generate_binary_structure(3, 1)
full = ndimage.generate_binary_structure(3, 3)
print(json.dumps({
    "edt": edt.flatten(order="F").tolist(),
    "components6": int(ndimage.label(m, six)[1]),
    "components26": int(ndimage.label(m, full)[1]),
    "filled": int(ndimage.binary_fill_holes(m, six).sum()),
}))
