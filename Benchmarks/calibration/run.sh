#!/usr/bin/env bash
# Calibration speed on a 512×512×300 CT-sized volume: `openbct calibrate` (internal and two-point) wall time,
# against the budget of methods (calibration + spine + hip densitometry ≤ 3 s). Release build:
#   swift build -c release --product openbct && Benchmarks/calibration/run.sh
# The volume is a water-cylinder body with fat rim and noise, written by numpy/nibabel (not timed).
set -euo pipefail
BIN=${OPENBCT:-.build/release/openbct}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK/ct.nii.gz" <<'PY'
import sys, numpy as np, nibabel as nib
rng = np.random.default_rng(1)
n, nz, s = 512, 300, 0.8
y, x = np.mgrid[:n, :n]; r = np.hypot(x - n / 2, y - n / 2) * s
sl = np.full((n, n), -1000.0); sl[r < 160] = -90; sl[r < 140] = 40
vol = np.repeat(sl[:, :, None], nz, axis=2) + rng.normal(0, 12, (n, n, nz))
nib.save(nib.Nifti1Image(vol.astype(np.float32), np.diag([s, s, 1.0, 1])), sys.argv[1])
PY
for method in internal two-point; do
  for run in 1 2 3; do
    /usr/bin/time -f "calibrate --method $method: %e s wall, %M KB" "$BIN" calibrate "$WORK/ct.nii.gz" --method $method --kvp 120 -o "$WORK/d.nii.gz" > /dev/null
  done
done
