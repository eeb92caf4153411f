"""Per-insert HU response of the QRM calcification insert (../shared/data/phantom/qrm-thorax), independent
of openbct: why the 200 mg HA/cm³ insert's leave-one-out calibration error is large.

usage: qrm_insert_response.py SERIES_DIR
For the 3 and 5 mm inserts (the six brightest compact blobs of the maximum-intensity projection; the 1 mm
ones are invisible; within a size group ranked by brightness = 200, 400, 800 mg HA/cm³) prints, as JSON:
- `datasheet`: HA mass / volume of each insert from the QRM datasheet (QRM_inserts.png) — the nominal
  densities are self-consistent;
- per insert: the volume-integrated excess per mg HA (cylinders of radius 3, 4, 5 mm over the peak slice ± 2,
  divided by the datasheet volume): free of partial volume, but sensitive to the background level;
- per insert: the central-ROI excess over the local background (annulus 6–9 mm, median) on each slice
  through it, the peak-slice and z-integrated (Σ excess × 3 mm / insert length, independent of where the
  insert sits between slice centres) excess per mg HA, the radial profile on the peak slice (0.5 mm rings,
  relative to the centre), and the leave-one-out error within its size group for central ROIs of radius
  0.5 / 1.0 / 1.5 mm, mean and median;
- per group: the HU per mg HA between 200 and 400 and between 400 and 800 (central 1 mm ROI, peak slice).
"""
import glob
import json
import sys

import numpy as np
import pydicom
from scipy import ndimage as ndi

# QRM datasheet (QRM_inserts.png): (density mg HA/cm³, diameter = length mm, volume mm³, HA mass mg).
DATASHEET = [(200, 5, 98.2, 19.6), (400, 5, 98.2, 39.3), (800, 5, 98.2, 78.5),
             (200, 3, 21.2, 4.2), (400, 3, 21.2, 8.5), (800, 3, 21.2, 17.0)]


def load(folder):
    ds = [pydicom.dcmread(f) for f in glob.glob(f"{folder}/*")]
    ds.sort(key=lambda d: float(d.ImagePositionPatient[2]))
    vol = np.stack([d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept) for d in ds])
    return vol, float(ds[0].PixelSpacing[0]), float(ds[0].SliceThickness)


def volume_excess(vol, r, k0, radius):
    """Σ (HU − the slice's 6–9 mm annulus median) over a cylinder of `radius` mm and slices k0 ± 2: the insert's
    excess "mass" in HU·voxels, independent of how the scanner blurs it (and of the ROI) but not of background noise."""
    return sum(float((vol[k][r <= radius] - np.median(vol[k][(r >= 6) & (r < 9)])).sum())
               for k in range(max(0, k0 - 2), min(vol.shape[0], k0 + 3)))


def insert_blobs(vol, sp):
    """The in-plane-smoothed volume and its MIP's bright compact blobs (2–60 mm²), largest first: (area mm², x, y, peak HU)."""
    smooth = ndi.uniform_filter(vol, (1, 3, 3))
    mip = smooth.max(0)
    lab, n = ndi.label(mip > 200)
    blobs = []
    for i in range(1, n + 1):
        ys, xs = np.nonzero(lab == i)
        if 2 < len(ys) * sp * sp < 60:
            blobs.append((len(ys) * sp * sp, xs.mean(), ys.mean(), mip[ys, xs].max()))
    blobs.sort(reverse=True)
    return smooth, blobs


def leave_one_out(points, i):
    others = [p for j, p in enumerate(points) if j != i]
    slope, intercept = np.polyfit([p[0] for p in others], [p[1] for p in others], 1)
    return (points[i][1] - intercept) / slope


def main(folder):
    vol, sp, thickness = load(folder)
    smooth, blobs = insert_blobs(vol, sp)
    groups = {"5mm": (5.0, sorted(blobs[:3], key=lambda b: b[3])), "3mm": (3.0, sorted(blobs[3:6], key=lambda b: b[3]))}
    yy, xx = np.mgrid[:vol.shape[1], :vol.shape[2]]
    out = {"datasheet": {f"{d} mg/cm3, {s} mm": round(1000 * m / v, 1) for d, s, v, m in DATASHEET}}
    for name, (length, members) in groups.items():
        rois = {}
        for density, (_, cx, cy, _) in zip([200, 400, 800], members):
            volume = next(v for d, s, v, _ in DATASHEET if d == density and s == length)
            r = np.hypot((xx - cx) * sp, (yy - cy) * sp)
            k0 = int(np.argmax(smooth[:, int(round(cy)), int(round(cx))]))
            background = lambda k: np.median(vol[k][(r >= 6) & (r < 9)])
            excess = [float(vol[k][r <= 1.0].mean() - background(k)) for k in range(max(0, k0 - 2), min(vol.shape[0], k0 + 3))]
            centre = vol[k0][r <= 0.5].mean() - background(k0)
            profile = [float((vol[k0][(r >= a) & (r < a + 0.5)].mean() - background(k0)) / centre) for a in np.arange(0, 3.5, 0.5)]
            for radius in (0.5, 1.0, 1.5):
                for stat, f in (("mean", np.mean), ("median", np.median)):
                    rois.setdefault(f"r{radius}_{stat}", []).append((density, float(f(vol[k0][r <= radius]))))
            out[f"{name} {density}"] = {
                "excess_per_slice_HU": [round(e, 1) for e in excess],
                "peak_per_mg": round(max(excess) / density, 4),
                "z_integrated_per_mg": round(sum(e for e in excess if e > 0) * thickness / length / density, 4),
                "volume_integrated_per_mg_R3_4_5mm": [round(volume_excess(vol, r, k0, radius) * sp * sp * thickness / volume / density, 3)
                                                      for radius in (3.0, 4.0, 5.0)],
                "radial_profile_0.5mm_rings": [round(p, 3) for p in profile]}
        for key, points in rois.items():
            for i, (density, _) in enumerate(points):
                out[f"{name} {density}"].setdefault("leave_one_out_error_pct", {})[key] = round(100 * (leave_one_out(points, i) / density - 1), 1)
        hu = dict(rois["r1.0_mean"])
        out[f"{name} HU per mg"] = {"200-400": round((hu[400] - hu[200]) / 200, 3), "400-800": round((hu[800] - hu[400]) / 400, 3)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
