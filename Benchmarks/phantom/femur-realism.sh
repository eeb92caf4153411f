#!/usr/bin/env bash
# The phantom femur against the real `fe-reference/femur_left_mini` (docs/phantom.md, "Femur realism"):
# geometry and density measured the same way on both (Tests/Python/femur_geometry.py, on the image as a CT
# shows it), and the linear sideways-fall stiffness at the same law (Morgan 2003), element size (2 mm) and a
# like-for-like frame: the phantom's true shaft and neck axes (truth.json) as --frame-z/--frame-x.
# The phantom: left femur only, 0.8 mm pixels, 0.9 mm slices (the real femur's grid is 0.82 × 0.82 × 0.9 mm),
# age 70, its CT numbers turned into density through truth.json's K2HPO4 line (blur and noise kept).
# Usage: Benchmarks/phantom/femur-realism.sh OPENBCT_BINARY WORKDIR [--real]
#   --real also measures femur_left_mini (needs ../shared/data; its figures do not change between runs).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$1"; W="$2"; REAL="${3:-}"
SHARED="$ROOT/../shared/data/fe-reference/femur_left_mini"
mkdir -p "$W"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$W/phantom"
"$BIN" phantom -o "$W/phantom" --sites hip --z-coverage=-100,40 --voxel 0.8 --slice-thickness 0.9 --age 70 \
  --missing-femur right --phantom-rods none --no-dicom >/dev/null
# Calibrated density from the phantom's CT numbers, and the femur frame from the truth axes.
read -r HULINE FRAMEZ FRAMEX < <(python3 - "$W/phantom" <<'PY'
import json, sys
import nibabel as nib, numpy as np
d = sys.argv[1]
t = json.load(open(f"{d}/truth.json"))
line = next(c for c in t["calibration"] if c["material"] == "K2HPO4")
hu = nib.load(f"{d}/hu.nii.gz")
rho = (np.asarray(hu.dataobj, dtype=np.float32) - line["intercept"]) / line["slope"]
nib.save(nib.Nifti1Image(rho.astype(np.float32), hu.affine), f"{d}/density-from-hu.nii.gz")
f = next(f for f in t["femurs"] if f["side"] == "left")
z = np.array(f["shaftAxis"], float); z /= np.linalg.norm(z)
n = np.array(f["neckAxis"], float)
x = n - z * (n @ z); x /= np.linalg.norm(x)   # in the shaft–neck plane, medially toward the head
print(f"{line['intercept']},{line['slope']}", ",".join(f"{v:.6f}" for v in z), ",".join(f"{v:.6f}" for v in x))
PY
)
echo "phantom: K2HPO4 line $HULINE, frame z $FRAMEZ, x $FRAMEX"
python3 "$ROOT/Tests/Python/femur_geometry.py" "$W/phantom/density-from-hu.nii.gz" "$W/phantom/labels.nii.gz" 30,31,32 \
  > "$W/phantom-geometry.json"
"$BIN" fe --density "$W/phantom/density-from-hu.nii.gz" --labels "$W/phantom/labels.nii.gz" --label 30 --label 31 --label 32 \
  --protocol hip-sideways-fall --material femur-morgan --voxel 2 --frame-z="$FRAMEZ" --frame-x="$FRAMEX" -o "$W/fe-phantom" \
  | sed 's/^/phantom FE (2 mm, Morgan, true frame): /'
# The same phantom femur cropped 73 mm below its head centre, where femur_left_mini ends.
python3 - "$W/phantom" <<'PY'
import json, sys
import nibabel as nib, numpy as np
d = sys.argv[1]
head = next(f for f in json.load(open(f"{d}/truth.json"))["femurs"] if f["side"] == "left")["headCentre"]
img = nib.load(f"{d}/labels.nii.gz")
lab = np.asarray(img.dataobj).copy()
k = np.arange(lab.shape[2])
z = img.affine[2, 2] * k + img.affine[2, 3]
lab[:, :, z < head[2] - 73] = 0
nib.save(nib.Nifti1Image(lab, img.affine), f"{d}/labels-cropped73.nii.gz")
PY
"$BIN" fe --density "$W/phantom/density-from-hu.nii.gz" --labels "$W/phantom/labels-cropped73.nii.gz" --label 30 --label 31 --label 32 \
  --protocol hip-sideways-fall --material femur-morgan --voxel 2 --frame-z="$FRAMEZ" --frame-x="$FRAMEX" -o "$W/fe-phantom-cropped" \
  | sed 's/^/phantom cropped 73 mm below the head centre: /'
if [ "$REAL" = "--real" ]; then
  python3 "$ROOT/Tests/Python/femur_geometry.py" "$SHARED/density.nii.gz" "$SHARED/labels.nii.gz" 2 > "$W/real-geometry.json"
  "$BIN" fe --density "$SHARED/density.nii.gz" --labels "$SHARED/labels.nii.gz" --label 2 --protocol hip-sideways-fall \
    --material femur-morgan --voxel 2 -o "$W/fe-real" | sed 's/^/real FE (2 mm, Morgan, automatic frame): /'
fi
python3 - "$W" <<'PY'
import json, os, sys
w = sys.argv[1]
for k in ("phantom", "real"):
    if os.path.exists(f"{w}/fe-{k}/fe.json"):
        lc = json.load(open(f"{w}/fe-{k}/fe.json"))["loadCase"]
        caps = ", ".join(f"{c['name']} cap {c['footprintColumns']} columns" for c in lc["caps"])
        print(f"{k} FE model: {lc['boneElements']} bone elements, {caps}, reference length {lc['referenceLength']:.1f} mm")
docs = {k: json.load(open(f"{w}/{k}-geometry.json")) for k in ("real", "phantom") if os.path.exists(f"{w}/{k}-geometry.json")}
def rows(g):
    n, s, seg = g["neck"], g["shaft"], g["segment"]
    return [("head radius (mm)", f"{g['head']['radius_mm']:.1f}"),
            ("neck min area (mm²)", f"{n['area_mm2']:.0f}"),
            ("neck widths SI × AP (mm)", f"{n['widths_mm'][0]:.1f} × {n['widths_mm'][1]:.1f}"),
            ("neck min section from head centre (mm)", f"{n['distanceFromHeadCentre_mm']:.1f}"),
            ("neck cortex median/sup/inf (mm)", f"{n['corticalThicknessMedian_mm']:.1f} / {n['corticalThicknessSuperior_mm']:.1f} / {n['corticalThicknessInferior_mm']:.1f}"),
            ("neck trabecular mean (mg/cm³)", f"{n['trabecularMean_mgcm3']:.0f}"),
            ("neck mineral (mg/mm)", f"{n['mineral_mg_per_mm']:.0f}"),
            ("neck EI max/min (1e8 N·mm²)", f"{n['EI_max_Nmm2'] / 1e8:.2f} / {n['EI_min_Nmm2'] / 1e8:.2f}"),
            ("neck-axis length (mm)", f"{n['neckAxisLength_mm']:.1f}"),
            (f"shaft {s[0]['heightBelowHeadCentre_mm']:.0f} mm below: area / cortex", f"{s[0]['area_mm2']:.0f} / {s[0]['corticalThicknessMedian_mm']:.1f}"),
            (f"shaft {s[1]['heightBelowHeadCentre_mm']:.0f} mm below: area / cortex / mineral", f"{s[1]['area_mm2']:.0f} / {s[1]['corticalThicknessMedian_mm']:.1f} / {s[1]['mineral_mg_per_mm']:.0f}"),
            ("segment volume (cm³) / mineral (g)", f"{seg['volume_cm3']:.0f} / {seg['mineral_g']:.1f}"),
            ("interior trabecular / head core (mg/cm³)", f"{seg['interiorTrabecularMean_mgcm3']:.0f} / {seg['headCoreMean_mgcm3']:.0f}"),
            ("density p95 (mg/cm³)", f"{seg['densityPercentiles_5_25_50_75_95'][4]:.0f}")]
table = {k: rows(g) for k, g in docs.items()}
names = [r[0] for r in next(iter(table.values()))]
print(f"{'measure':<46}" + "".join(f"{k:>22}" for k in table))
for i, name in enumerate(names):
    print(f"{name:<46}" + "".join(f"{table[k][i][1]:>22}" for k in table))
PY
