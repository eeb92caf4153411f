"""Writes a binary DICOM SEG with highdicom (an independent implementation of the SEG IOD) from a
CT series and a NIfTI label map aligned with it: one segment per requested class, labelled with the
class name, frames only where the segment is present (highdicom omits empty frames).

usage: anatomy_make_seg.py SERIES_DIR LABELS.nii.gz OUT.dcm ID=NAME [ID=NAME ...] [--shift-mm D]
--shift-mm moves every frame's position by D mm along x (a segmentation of another space).
Prints JSON: the voxel count of each segment on the CT grid.
"""
import json, os, sys
import numpy as np, nibabel as nib, pydicom, highdicom as hd
from pydicom.sr.codedict import codes

args = sys.argv[1:]
shift = 0.0
if "--shift-mm" in args:
    i = args.index("--shift-mm"); shift = float(args[i + 1]); del args[i:i + 2]
series, labels_path, out = args[:3]
classes = [(int(a.split("=")[0]), a.split("=")[1]) for a in args[3:]]

sources = [pydicom.dcmread(os.path.join(series, f)) for f in sorted(os.listdir(series))]
for ds in sources:   # an anonymiser left SOP Class UID empty in the data set; the file meta keeps it
    if not ds.get("SOPClassUID"):
        ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
normal = np.cross(*np.reshape(np.array(sources[0].ImageOrientationPatient, float), (2, 3)))
sources.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), normal)))

# The label map sampled (nearest neighbour) at each CT pixel centre, in LPS through nibabel's RAS affine.
img = nib.load(labels_path)
lab = np.asarray(img.dataobj)
inv = np.linalg.inv(img.affine)
rows, cols = sources[0].Rows, sources[0].Columns
iop = np.array(sources[0].ImageOrientationPatient, float)
r_dir, c_dir = iop[:3], iop[3:]
ps = np.array(sources[0].PixelSpacing, float)   # [between rows, between columns]
jj, ii = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
mask = np.zeros((len(sources), rows, cols, len(classes)), dtype=bool)
for k, ds in enumerate(sources):
    ipp = np.array(ds.ImagePositionPatient, float)
    lps = ipp[None, None, :] + ii[..., None] * ps[1] * r_dir + jj[..., None] * ps[0] * c_dir
    ras = lps * np.array([-1, -1, 1])
    idx = np.rint(np.einsum("ij,...j->...i", inv[:3, :3], ras) + inv[:3, 3]).astype(int)
    ok = np.all((idx >= 0) & (idx < np.array(lab.shape)), axis=-1)
    values = np.zeros((rows, cols), lab.dtype)
    values[ok] = lab[idx[ok][:, 0], idx[ok][:, 1], idx[ok][:, 2]]
    for s, (cid, _) in enumerate(classes):
        mask[k, :, :, s] = values == cid

descriptions = [hd.seg.SegmentDescription(
    segment_number=s + 1, segment_label=name,
    segmented_property_category=codes.SCT.Tissue, segmented_property_type=codes.SCT.Bone,
    algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL) for s, (_, name) in enumerate(classes)]
seg = hd.seg.Segmentation(
    source_images=sources, pixel_array=mask, segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
    segment_descriptions=descriptions, series_instance_uid=hd.UID(), series_number=99,
    sop_instance_uid=hd.UID(), instance_number=1, manufacturer="OpenBCT tests",
    manufacturer_model_name="anatomy_make_seg.py", software_versions=hd.__version__, device_serial_number="0")
if shift:   # read every position first: frames may share one Plane Position item
    items = [item.PlanePositionSequence[0] for item in seg.PerFrameFunctionalGroupsSequence]
    moved = {id(p): [float(p.ImagePositionPatient[0]) + shift] + [float(v) for v in p.ImagePositionPatient[1:]] for p in items}
    for p in items:
        p.ImagePositionPatient = moved[id(p)]
seg.save_as(out)
print(json.dumps({name: int(mask[..., s].sum()) for s, (_, name) in enumerate(classes)}))
