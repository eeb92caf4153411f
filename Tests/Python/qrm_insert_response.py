"""Per-insert HU response of the QRM calcification insert (../shared/data/phantom/qrm-thorax), independent
of openbct: why the 200 mg HA/cm³ insert's leave-one-out calibration error is large.

usage: qrm_insert_response.py SERIES_DIR
For the three 5 mm inserts (found as the brightest compact blobs on the peak slice), prints the central 1 mm
ROI excess over the local background on each slice through the insert, the peak-slice excess per mg HA, and
the z-integrated excess (sum over slices × thickness / 5 mm insert length: independent of where the insert
sits between slice centres) per mg HA. Prints JSON.
"""
import glob
import json
import sys

import numpy as np
import pydicom
from scipy import ndimage as ndi


def load(folder):
    ds = [pydicom.dcmread(f) for f in glob.glob(f"{folder}/*")]
    ds.sort(key=lambda d: float(d.ImagePositionPatient[2]))
    vol = np.stack([d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept) for d in ds])
    return vol, float(ds[0].PixelSpacing[0]), float(ds[0].SliceThickness)


def main(folder):
    vol, sp, thickness = load(folder)
    smooth = ndi.uniform_filter(vol, (1, 3, 3))
    mip = smooth.max(0)
    lab, n = ndi.label(mip > 200)
    blobs = []
    for i in range(1, n + 1):
        ys, xs = np.nonzero(lab == i)
        area = len(ys) * sp * sp
        if 3 < area < 60:  # 3–5 mm inserts; 1 mm ones are invisible
            blobs.append((area, xs.mean(), ys.mean()))
    blobs.sort(reverse=True)
    five = sorted(blobs[:3], key=lambda b: mip[int(round(b[2])), int(round(b[1]))])  # by brightness: 200, 400, 800
    yy, xx = np.mgrid[:vol.shape[1], :vol.shape[2]]
    out = {}
    for density, (_, cx, cy) in zip([200, 400, 800], five):
        r = np.hypot((xx - cx) * sp, (yy - cy) * sp)
        k0 = int(np.argmax(smooth[:, int(round(cy)), int(round(cx))]))
        ks = range(max(0, k0 - 2), min(vol.shape[0], k0 + 3))
        excess = [float(vol[k][r <= 1.0].mean() - np.median(vol[k][(r >= 6) & (r < 9)])) for k in ks]
        peak = max(excess)
        integrated = sum(e for e in excess if e > 0) * thickness / 5.0
        out[str(density)] = {"excess_per_slice_HU": [round(e, 1) for e in excess], "peak_per_mg": peak / density,
                             "z_integrated_per_mg": integrated / density}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
