#!/usr/bin/env python3
"""NIfTI reference facts from nibabel, for ImageFormatsTests.

  dump FILE OUT.bin [FILE OUT.bin ...]
                      -> JSON list on stdout, one entry per file (shape, dtype, best/sform/qform affines, codes, scaling);
                         OUT.bin = nibabel's get_fdata() as float64, Fortran (i-fastest) order.
  make DIR            -> writes nibabel-made test files into DIR, each with NAME.bin as above,
                         and prints a JSON list of {"name", "file", facts...}.
"""
import json
import struct
import sys

import nibabel as nib
import numpy as np


def facts(path, out_bin):
    img = nib.load(path)
    hdr = img.header
    data = np.asarray(img.get_fdata(dtype=np.float64))
    data.reshape(-1, order="F").astype("<f8").tofile(out_bin)
    raw_dtype = np.dtype(hdr.get_data_dtype())
    # nibabel moves scl_slope/scl_inter from the header onto the data proxy when loading.
    slope, inter = getattr(img.dataobj, "slope", None), getattr(img.dataobj, "inter", None)
    return {
        "file": path,
        "shape": [int(s) for s in img.shape],
        "dtype": raw_dtype.newbyteorder("=").name,
        "big_endian": raw_dtype.byteorder == ">",
        "affine": img.affine.tolist(),
        "sform": hdr.get_sform().tolist(),
        "qform": hdr.get_qform().tolist(),
        "sform_code": int(hdr["sform_code"]),
        "qform_code": int(hdr["qform_code"]),
        "slope": None if slope is None else float(slope),
        "inter": None if inter is None else float(inter),
        "version": 2 if isinstance(hdr, nib.Nifti2Header) else 1,
        "vox_offset": int(img.dataobj.offset),  # the loaded header copy resets vox_offset
        "xyzt_units": int(hdr["xyzt_units"]),
        "descrip": hdr["descrip"].item().decode("latin-1"),
    }


def oblique(spacing, origin, angles, flip=False):
    """RAS affine with rotation about z, y, x by `angles` (radians) and the given voxel sizes."""
    cz, sz = np.cos(angles[0]), np.sin(angles[0])
    cy, sy = np.cos(angles[1]), np.sin(angles[1])
    cx, sx = np.cos(angles[2]), np.sin(angles[2])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    r = rz @ ry @ rx
    if flip:
        r[:, 2] *= -1  # left-handed voxel axes: qfac = -1
    a = np.eye(4)
    a[:3, :3] = r * np.asarray(spacing)
    a[:3, 3] = origin
    return a


def make(folder):
    rng = np.random.default_rng(20261129)
    cases = []

    def save(name, img, fname):
        path = f"{folder}/{fname}"
        nib.save(img, path)
        return path

    def record(name, path):
        f = facts(path, f"{folder}/{name}.bin")
        f["name"] = name
        cases.append(f)

    shape = (7, 6, 5)
    a1 = oblique((0.8, 0.9, 2.5), (-100.5, 40.25, 301.0), (0.3, -0.2, 0.1))
    a2 = oblique((1.2, 1.1, 3.0), (12.0, -7.5, -80.0), (-0.5, 0.25, 0.4), flip=True)

    # int16, sform only (code 2), oblique.
    img = nib.Nifti1Image(rng.integers(-1024, 3000, shape).astype(np.int16), a1)
    img.set_sform(a1, code=2); img.set_qform(None, code=0)
    record("int16_sform_only", save("", img, "int16_sform_only.nii.gz"))

    # float32, qform only (code 1), left-handed (qfac -1).
    img = nib.Nifti1Image(rng.normal(0, 100, shape).astype(np.float32), a2)
    img.set_qform(a2, code=1); img.set_sform(None, code=0)
    record("float32_qform_only", save("", img, "float32_qform_only.nii"))

    # uint8, both set and different: the sform must win.
    img = nib.Nifti1Image(rng.integers(0, 255, shape).astype(np.uint8), a1)
    img.set_sform(a1, code=1); img.set_qform(a2, code=1)
    record("uint8_both", save("", img, "uint8_both.nii.gz"))

    # NIfTI-2, float64 and int16.
    img = nib.Nifti2Image(rng.normal(0, 1, shape), a2)
    img.set_sform(a2, code=1); img.set_qform(a2, code=1)
    record("nifti2_float64", save("", img, "nifti2_float64.nii"))
    img = nib.Nifti2Image(rng.integers(-500, 500, shape).astype(np.int16), a1)
    record("nifti2_int16", save("", img, "nifti2_int16.nii.gz"))

    # Big-endian int16 and float32.
    for name, dtype, data in (("bigendian_int16", ">i2", rng.integers(-30000, 30000, shape)),
                              ("bigendian_float32", ">f4", rng.normal(0, 1000, shape))):
        hdr = nib.Nifti1Header(endianness=">")
        hdr.set_data_dtype(np.dtype(dtype))
        img = nib.Nifti1Image(data.astype(dtype), a1, header=hdr)
        path = save("", img, f"{name}.nii")
        with open(path, "rb") as fh:
            assert struct.unpack(">i", fh.read(4))[0] == 348, "nibabel did not write big-endian"
        record(name, path)

    # scl_slope/scl_inter on int16 (patched in the header so nibabel's writer cannot rescale).
    img = nib.Nifti1Image(rng.integers(-2000, 2000, shape).astype(np.int16), a1)
    path = save("", img, "int16_scaled.nii")
    with open(path, "r+b") as fh:
        fh.seek(112); fh.write(struct.pack("<ff", 0.5, -1024.0))
    record("int16_scaled", path)

    # Other integer types.
    for name, dtype in (("int8", np.int8), ("uint16", np.uint16), ("int32", np.int32), ("uint32", np.uint32)):
        info = np.iinfo(dtype)
        img = nib.Nifti1Image(rng.integers(info.min, info.max, shape, endpoint=True).astype(dtype), a2)
        record(name, save("", img, f"{name}.nii"))

    # Neither sform nor qform: nibabel's pixdim-only base affine.
    img = nib.Nifti1Image(rng.integers(0, 100, shape).astype(np.int16), np.diag([2.0, 3.0, 4.0, 1.0]))
    img.set_sform(None, code=0); img.set_qform(None, code=0)
    record("pixdim_only", save("", img, "pixdim_only.nii"))

    # 4-D with one volume, 2-D image.
    img = nib.Nifti1Image(rng.integers(0, 100, shape + (1,)).astype(np.int16), a1)
    record("fourd_single", save("", img, "fourd_single.nii.gz"))
    img = nib.Nifti1Image(rng.normal(0, 1, (9, 4)).astype(np.float32), a1)
    record("twod", save("", img, "twod.nii"))

    print(json.dumps(cases))


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        pairs = sys.argv[2:]
        print(json.dumps([facts(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]))
    elif sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
