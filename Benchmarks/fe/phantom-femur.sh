#!/usr/bin/env bash
# Nonlinear strength of one femur of the default digital phantom (the one `Benchmarks/analyze/run.sh` analyses),
# modelled as `openbct analyze` models it, through the FE driver alone (femur-strength.sh): per increment the
# step, Newton and Krylov iterations, cut-backs and seconds, then the totals, CPU and wall seconds.
# Preparation (once per WORKDIR, kept between runs): `openbct phantom --seed 1 --age 70 --sex F` (DICOM),
# `openbct segment --sites hip,spine --json` (labels and Anatomy's femur frame, as analyze's anatomy stage) and
# `openbct calibrate` (internal effective-energy calibration, as analyze's default) → WORKDIR/femur-SIDE/.
# The driver then builds HipLoadCase (sideways fall, Morgan, Anatomy's frame) and StrengthAnalysis with
# analyze's options (4 % limit, 12 first steps). Not the same numbers as analyze only where analyze crops the
# CT to the bone first (same model: SiteCropTests).
# usage: Benchmarks/fe/phantom-femur.sh [voxel mm (default 2)] [left|right (default left)] [repetitions (default 1)] [WORKDIR]
#   OPENBCT=path/to/openbct uses that binary for the preparation (default: build the release product).
set -euo pipefail
cd "$(dirname "$0")/../.."
VOXEL=${1:-2} SIDE=${2:-left} REPS=${3:-1} WORK=${4:-/tmp/openbct-phantom-femur}
case "$SIDE" in left|right) ;; *) echo "error: side must be left or right, got '$SIDE'" >&2; exit 2 ;; esac
DIR=$WORK/femur-$SIDE
if [ ! -f "$DIR/femur.json" ]; then
  if [ -z "${OPENBCT:-}" ]; then swift build -c release --product openbct >/dev/null; OPENBCT=$PWD/.build/release/openbct; fi
  mkdir -p "$WORK" "$DIR"
  [ -d "$WORK/phantom/dicom" ] || "$OPENBCT" phantom -o "$WORK/phantom" --seed 1 --age 70 --sex F >/dev/null
  [ -f "$WORK/labels.nii.gz" ] || "$OPENBCT" segment "$WORK/phantom/dicom" -o "$WORK/labels.nii.gz" --sites hip,spine --json >"$WORK/segment.json"
  [ -f "$WORK/density.nii.gz" ] || "$OPENBCT" calibrate "$WORK/phantom/dicom" -o "$WORK/density.nii.gz" >/dev/null
  ln -sf ../labels.nii.gz "$DIR/labels.nii.gz"; ln -sf ../density.nii.gz "$DIR/density.nii.gz"
  python3 - "$WORK/segment.json" "$SIDE" >"$DIR/femur.json.tmp" <<'PY'
import json, sys
femur = next(f for f in json.load(open(sys.argv[1]))["femurs"] if f["side"] == sys.argv[2])
frame = femur["landmarks"]["frame"]
print(json.dumps({"label": femur["label"], "origin": frame["origin"], "x": frame["x"], "y": frame["y"], "z": frame["z"],
                  "headCenter": femur["landmarks"]["headCenter"]}))
PY
  mv "$DIR/femur.json.tmp" "$DIR/femur.json"
fi
exec Benchmarks/fe/femur-strength.sh "$VOXEL" "$REPS" "$DIR"
