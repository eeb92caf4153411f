"""Compare calibrated density volumes with a digital phantom's truth density, per trabecular core.

usage: calibration_phantom_check.py PHANTOM_DIR CALIBRATED.nii.gz [CALIBRATED2.nii.gz ...]
Prints JSON: for each calibrated file, the relative error of its mean density over all vertebral
trabecular cores (labels named '... trabecular core' in truth.json) against (a) the exact line the
phantom used (HU / k2hpo4Slope: the calibration error alone) and (b) the truth density map (which adds
the blur and partial volume of the phantom's scanner model).
Also: make_phantom_json PHANTOM_DIR OUT.json writes an openbct phantom definition from truth.json rods.
"""
import json
import sys

import nibabel as nib
import numpy as np


def phantom_definition(phantom_dir, out):
    truth = json.load(open(f"{phantom_dir}/truth.json"))
    grid = truth["grid"]
    z_mid = grid["origin"][2] + grid["spacing"][2] * (grid["dims"][2] // 2)
    rods = [{"density": r["density"], "centre": [r["centre"][0], r["centre"][1], z_mid],
             "radiusMM": r["radius"] / 2} for r in truth["rods"]]
    json.dump({"name": "digital phantom pad", "equivalent": "k2hpo4" if truth["rods"][0]["material"] == "k2hpo4"
               else "hydroxyapatite", "rods": rods}, open(out, "w"))


def compare(phantom_dir, files):
    truth = json.load(open(f"{phantom_dir}/truth.json"))
    cores = [int(k) for k, v in truth["labels"].items() if v.endswith("trabecular core")]
    labels = np.asarray(nib.load(f"{phantom_dir}/labels.nii.gz").dataobj).astype(int)
    mask = np.isin(labels, cores)
    model = truth["hounsfieldModel"]
    exact = nib.load(f"{phantom_dir}/hu.nii.gz").get_fdata()[mask] / model["k2hpo4Slope"]
    reference = nib.load(f"{phantom_dir}/density.nii.gz").get_fdata()[mask]
    result = {}
    for f in files:
        d = nib.load(f).get_fdata()[mask].mean()
        result[f] = {"vs_exact_line": abs(d - exact.mean()) / exact.mean(),
                     "vs_truth_density": abs(d - reference.mean()) / reference.mean(), "mean": d}
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "make_phantom_json":
        phantom_definition(sys.argv[2], sys.argv[3])
    else:
        compare(sys.argv[1], sys.argv[2:])
