"""Independent check of openbct's quadratic calibration with per-size-group partial-volume scale.

Model (docs/calibration.md): a rod of density ρ in size group g, whose surroundings read bg HU, reads
    HU = bg + s_g·(a + b·ρ + c·ρ² − bg)
with s = 1 for the reference (largest) group and a, b, c shared. Fitted by variable projection: for given
scales the model is linear in (a, b, c) (numpy least squares); the scales minimise the residual sum of
squares (a grid scan, then scipy's bounded scalar search for one scale or Nelder–Mead for several). This is
a different algorithm from openbct's Levenberg–Marquardt. Every rod is measured leave-one-out: the fit over
the other rods, inverted on the increasing branch, ρ = 2(y − a)/(b + √(b² + 4c(y − a))), y = bg + (HU − bg)/s.

usage:
  qrm_quadratic_calibration.py --points POINTS.json   points: {"reference": g, "rods": [{"group", "density", "hu", "bg"}]}
  qrm_quadratic_calibration.py SERIES_DIR             measures the QRM 3 and 5 mm inserts itself (pydicom)
Prints JSON: the fit over all rods, each rod's leave-one-out density, and each size's own exact quadratic
(its c/b: equal in every size if the model's premise holds).
"""
import json
import sys

import numpy as np
from scipy import ndimage as ndi
from scipy import optimize

from qrm_insert_response import insert_blobs, load


def solve_linear(rods, scales):
    """(a, b, c) and the RSS for the given per-group scales."""
    x = np.array([[scales[r["group"]] * v for v in (1.0, r["density"], r["density"] ** 2)] for r in rods])
    y = np.array([r["hu"] - r["bg"] * (1 - scales[r["group"]]) for r in rods])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    return coef, float(np.sum((y - x @ coef) ** 2))


def fit(rods, reference):
    free = sorted({r["group"] for r in rods} - {reference})
    scales = lambda v: {reference: 1.0, **dict(zip(free, np.atleast_1d(v)))}
    rss = lambda v: solve_linear(rods, scales(v))[1]
    if not free:
        v = []
    elif len(free) == 1:
        grid = np.linspace(0.05, 2.0, 391)
        best = grid[int(np.argmin([rss(g) for g in grid]))]
        v = optimize.minimize_scalar(rss, bounds=(max(0.01, best - 0.01), best + 0.01), method="bounded",
                                     options={"xatol": 1e-12}).x
    else:
        v = optimize.minimize(rss, np.ones(len(free)), method="Nelder-Mead",
                              options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000}).x
    s = scales(v)
    (a, b, c), r = solve_linear(rods, s)
    return {"a": float(a), "b": float(b), "c": float(c), "scales": {k: float(x) for k, x in s.items()}, "rss": r}


def invert(f, hu, bg, group):
    y = bg + (hu - bg) / f["scales"][group]
    return 2 * (y - f["a"]) / (f["b"] + np.sqrt(f["b"] ** 2 + 4 * f["c"] * (y - f["a"])))


def evaluate(rods, reference):
    out = {"fit": fit(rods, reference), "rods": [], "per_size_quadratic": {}}
    # The model's premise: HU_g = bg·(1 − s_g) + s_g·f(ρ), so every size's own curve has the same c/b.
    for g in sorted({r["group"] for r in rods}):
        own = [r for r in rods if r["group"] == g]
        if len({r["density"] for r in own}) >= 3:
            c, b, a = np.polyfit([r["density"] for r in own], [r["hu"] for r in own], 2)
            out["per_size_quadratic"][str(g)] = {"a": float(a), "b": float(b), "c": float(c), "c_over_b": float(c / b)}
    for i, r in enumerate(rods):
        others = [o for j, o in enumerate(rods) if j != i]
        entry = dict(r)
        if any(o["group"] == r["group"] for o in others):
            loo = invert(fit(others, reference), r["hu"], r["bg"], r["group"])
            entry.update(leave_one_out=float(loo), error_pct=float(100 * (loo / r["density"] - 1)))
        out["rods"].append(entry)
    return out


def measure(folder):
    """The 5 mm (group 0, the reference) and 3 mm (group 1) inserts as openbct measures them: central disc of radius min(1 mm, 0.3·d) on the peak
    slice (mean HU), background = median of the 6–9 mm annulus on that slice; ranked by brightness."""
    vol, sp, _ = load(folder)
    smooth, blobs = insert_blobs(vol, sp)
    yy, xx = np.mgrid[:vol.shape[1], :vol.shape[2]]
    rods = []
    for group, diameter, members in ((0, 5.0, blobs[:3]), (1, 3.0, blobs[3:6])):
        for density, (_, cx, cy, _) in zip([200, 400, 800], sorted(members, key=lambda b: b[3])):
            r = np.hypot((xx - cx) * sp, (yy - cy) * sp)
            k0 = int(np.argmax(smooth[:, int(round(cy)), int(round(cx))]))
            rods.append({"group": group, "diameter_mm": diameter, "density": density,
                         "hu": float(vol[k0][r <= min(1.0, 0.3 * diameter)].mean()),
                         "bg": float(np.median(vol[k0][(r >= 6) & (r < 9)]))})
    return rods


def main(argv):
    if argv[0] == "--points":
        with open(argv[1]) as f:
            spec = json.load(f)
        print(json.dumps(evaluate(spec["rods"], spec["reference"]), indent=1))
    else:
        print(json.dumps(evaluate(measure(argv[0]), 0), indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
