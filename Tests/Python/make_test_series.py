#!/usr/bin/env python3
"""Writes a synthetic CT series scenario with pydicom and states what a correct reader must produce.

usage: make_test_series.py SCENARIO OUTDIR

Pixel values are a known linear function of the LPS position, HU(p) = 100 + 0.5 x - 0.8 y + 3 z,
stored with per-slice RescaleSlope/Intercept, so every correctly placed voxel -- also after linear
resampling (gaps, tilt) -- has a value computable from its position. Writes OUTDIR/dicom/* and
OUTDIR/expected.json: {"affine_lps": 4x4 index->LPS, "dims": [i, j, k], "default_series_uid": ...,
"slices": n, "skipped": n, "warnings": [substrings], "error": substring or null} plus
OUTDIR/expected.f32 (little-endian float32 expected HU, i fastest; NaN where the value depends on the
reader's choice of fill for voxels outside the acquired slab).
"""
import json
import os
import random
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
COLS, ROWS = 40, 32
PIXEL = (0.7, 0.8)  # spacing along i (columns), along j (rows), mm


def hu(points):
    """The ground-truth field at LPS points (..., 3)."""
    return 100 + 0.5 * points[..., 0] - 0.8 * points[..., 1] + 3 * points[..., 2]


def slice_points(ipp, row, col, cols=COLS, rows=ROWS):
    j, i = np.mgrid[0:rows, 0:cols]
    return (np.asarray(ipp)[None, None, :] + i[..., None] * PIXEL[0] * np.asarray(row)
            + j[..., None] * PIXEL[1] * np.asarray(col))


def write_slice(path, series, ipp, row, col, index, image_type="ORIGINAL\\PRIMARY\\AXIAL",
                modality="CT", values=None, cols=COLS, rows=ROWS):
    # Vary the rescale per slice: the reader must apply each slice's own slope/intercept.
    slope, intercept = [(1.0, -1024.0), (0.5, -1000.0), (2.0, -2048.0)][index % 3]
    if values is None:
        values = hu(slice_points(ipp, row, col, cols, rows))
    stored = np.rint((values - intercept) / slope).astype(np.uint16)
    meta = FileMetaDataset()
    sop = generate_uid()
    meta.MediaStorageSOPClassUID = CT_STORAGE if modality == "CT" else MR_STORAGE
    meta.MediaStorageSOPInstanceUID = sop
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = sop
    ds.Modality = modality
    ds.StudyInstanceUID = series["study"]
    ds.SeriesInstanceUID = series["uid"]
    ds.FrameOfReferenceUID = series["for"]
    ds.SeriesNumber = series["number"]
    ds.SeriesDescription = series["description"]
    ds.InstanceNumber = series["count"] - index  # deliberately opposite to the true order
    ds.ImageType = image_type
    ds.Manufacturer = "pydicom-test"
    ds.KVP = "120"
    ds.ConvolutionKernel = "B30f"
    ds.PatientSex = "F"
    ds.PatientAge = "064Y"
    ds.SliceThickness = series.get("thickness", 2.5)
    if "tilt" in series:
        ds.GantryDetectorTilt = series["tilt"]
    ds.ImagePositionPatient = [f"{v:.6f}" for v in ipp]
    ds.ImageOrientationPatient = [f"{v:.8f}" for v in list(row) + list(col)]
    ds.PixelSpacing = [PIXEL[1], PIXEL[0]]
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.RescaleSlope, ds.RescaleIntercept = slope, intercept
    ds.PixelData = stored.tobytes()
    ds.save_as(path, enforce_file_format=True)


def new_series(number, description, count, **extra):
    return dict(uid=generate_uid(), study=STUDY, number=number, description=description, count=count,
                **{"for": FOR}, **extra)


def rotation(axis, degrees):
    a = np.asarray(axis, float) / np.linalg.norm(axis)
    t = np.radians(degrees)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(t) * k + (1 - np.cos(t)) * k @ k


def expected_volume(origin, row, col, normal, dz, nz, inside=None):
    """Affine and expected values on the orthogonal grid (row, col, normal)."""
    affine = np.eye(4)
    affine[:3, 0] = np.asarray(row) * PIXEL[0]
    affine[:3, 1] = np.asarray(col) * PIXEL[1]
    affine[:3, 2] = np.asarray(normal) * dz
    affine[:3, 3] = origin
    k, j, i = np.mgrid[0:nz, 0:ROWS, 0:COLS]
    idx = np.stack([i, j, k, np.ones_like(i)], axis=-1).astype(float)
    points = idx @ affine.T
    values = hu(points[..., :3])
    if inside is not None:
        values = np.where(inside(points[..., :3]), values, np.nan)
    return affine, values


def main():
    scenario, out = sys.argv[1], sys.argv[2]
    folder = os.path.join(out, "dicom")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(7)
    row, col = np.array([1.0, 0, 0]), np.array([0, 1.0, 0])
    origin = np.array([-14.0, -12.5, -20.0])
    n, step = 12, 2.5
    offsets = [k * step for k in range(n)]
    expect = dict(error=None, warnings=[], skipped=0)
    names = [f"{rng.getrandbits(40):010x}" for _ in range(64)]  # random file names, unrelated to order
    tilt = None

    if scenario == "oblique":
        r = rotation([0.3, -0.5, 0.8], 25)
        row, col = r @ row, r @ col
    elif scenario == "gaps":
        offsets = [k * step for k in range(n) if k != 5]  # one missing slice
        expect["warnings"].append("non-uniform slice spacing")
    elif scenario == "big-gap":
        offsets = [k * step for k in range(n) if k not in (5, 6)]  # two missing in a row: 3x spacing
        expect["error"] = "exceeds 2× the nominal spacing"
    elif scenario == "tilt":
        tilt = 15.0
        t = np.radians(tilt)
        col = np.array([0, np.cos(t), -np.sin(t)])  # image plane tilted about the x axis
        expect["warnings"].append("gantry tilt of 15")
    normal = np.cross(row, col)

    series = new_series(3, "main stack", n, **({"tilt": tilt} if tilt else {}))
    if tilt:
        ipps = [origin + np.array([0, 0, o]) for o in offsets]  # the table moves along z, not along the normal
    else:
        ipps = [origin + o * normal for o in offsets]
    order = list(range(len(ipps)))
    if scenario == "reversed":
        order = order[::-1]  # file names sort opposite to the positions
    elif scenario != "mixed-sizes":
        rng.shuffle(order)
    paths = []
    for rank, k in enumerate(order):
        name = f"IM{rank:04d}" if scenario == "reversed" else names[rank]
        paths.append(os.path.join(folder, name))
        write_slice(paths[-1], series, ipps[k], row, col, k)

    if scenario == "duplicates":
        # Same slice again under another name and SOPInstanceUID: identical pixels, dropped.
        write_slice(os.path.join(folder, "copy-of-slice-4.dcm"), series, ipps[4], row, col, 4)
        expect["warnings"].append("duplicate")
    elif scenario == "duplicates-different":
        write_slice(os.path.join(folder, "other.dcm"), series, ipps[4], row, col, 4,
                    values=hu(slice_points(ipps[4], row, col)) + 50)
        expect["error"] = "different pixels"
    elif scenario == "mixed-sizes":
        os.remove(paths[3])
        write_slice(paths[3], series, ipps[order[3]], row, col, order[3], cols=COLS // 2)
        expect["error"] = "mixed image sizes"
    elif scenario == "localizer":
        sag_row, sag_col = np.array([0, 1.0, 0]), np.array([0, 0, -1.0])
        write_slice(os.path.join(folder, "scout1"), series, [0, -12, 20], sag_row, sag_col, 0,
                    image_type="ORIGINAL\\PRIMARY\\LOCALIZER")
        write_slice(os.path.join(folder, "scout2"), series, [-14, 0, 20], row, np.array([0, 0, -1.0]), 0,
                    image_type="ORIGINAL\\PRIMARY\\OTHER")  # coronal single slice without LOCALIZER type
        expect["skipped"] = 2
    elif scenario == "two-series":
        # A longer, thinner series in the same folder is the default pick; plus a non-DICOM and an MR file.
        other = new_series(2, "thin stack", 20, thickness=1.0)
        for k in range(20):
            write_slice(os.path.join(folder, f"thin{k:02d}"), other, origin + np.array([0, 0, k * 1.0]), row, col, k)
        write_slice(os.path.join(folder, "mr.dcm"), new_series(9, "mr", 1), origin, row, col, 0, modality="MR")
        with open(os.path.join(folder, "README.txt"), "w") as f:
            f.write("not dicom\n")
        expect["skipped"] = 2
        series, n, step, ipps = other, 20, 1.0, [origin + np.array([0, 0, k * 1.0]) for k in range(20)]

    expect["default_series_uid"] = series["uid"]
    first = ipps[0]
    if tilt:
        dz = step * np.cos(np.radians(tilt))  # spacing along the normal
        # Output slice k lies at the normal distance of source slice k; in-plane it keeps the first
        # slice's frame, so source pixels drift: only voxels covered by the source slice are defined.
        def inside(p):
            kk = np.clip(np.rint((p - first) @ normal / dz), 0, n - 1)
            src = first[None, None, None, :] + kk[..., None] * np.array([0, 0, step])
            d = p - src
            u, v = d @ row / PIXEL[0], d @ col / PIXEL[1]
            return (u >= 0) & (u <= COLS - 1) & (v >= 0) & (v <= ROWS - 1)
        affine, values = expected_volume(first, row, col, normal, dz, n, inside)
    else:
        extent = offsets[-1] if scenario == "gaps" else (n - 1) * step
        nz = int(round(extent / step)) + 1
        affine, values = expected_volume(first, row, col, normal, extent / (nz - 1), nz)
    expect["affine_lps"] = affine.tolist()
    expect["dims"] = list(values.shape[::-1])
    expect["slices"] = int(values.shape[0])
    values.astype("<f4").tofile(os.path.join(out, "expected.f32"))
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expect, f)


STUDY, FOR = generate_uid(), generate_uid()

if __name__ == "__main__":
    main()
