#!/usr/bin/env bash
# Runs the most complete job available today on the bundled example, which is generated (the digital
# phantom: DICOM series + truth), not stored: ingest → segment → calibrate (phantomless) → FE stiffness of
# L1 (vertebral compression) and of the left femur (sideways fall). The one-command `analyze` with its
# report comes with the end-to-end issue; until then this script chains the stages.
# Usage: scripts/example.sh OPENBCT_BINARY OUTDIR
set -euo pipefail
BIN="$1"; OUT="$2"
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }
"$BIN" --version
step "digital phantom (DICOM series, NIfTI, truth.json)"
"$BIN" phantom -o "$OUT/phantom" --seed 1
step "inspect the series"
"$BIN" inspect "$OUT/phantom/dicom"
step "segment femurs and vertebrae"
"$BIN" segment "$OUT/phantom/dicom" -o "$OUT/labels.nii.gz" --json > "$OUT/segmentation.json"
echo "labels: $OUT/labels.nii.gz, findings and landmarks: $OUT/segmentation.json"
step "phantomless calibration HU → mg/cm³ K2HPO4"
"$BIN" calibrate "$OUT/phantom/dicom" -o "$OUT/density.nii.gz" --json > "$OUT/calibration.json"
echo "density: $OUT/density.nii.gz, fit: $OUT/calibration.json"
step "FE: L1 vertebral compression (labels 120 body, 170 posterior elements)"
"$BIN" fe --density "$OUT/density.nii.gz" --labels "$OUT/labels.nii.gz" --protocol vertebra-compression \
  --label 120 --posterior-label 170 -o "$OUT/fe-L1"
step "FE: left femur sideways fall (label 1)"
"$BIN" fe --density "$OUT/density.nii.gz" --labels "$OUT/labels.nii.gz" --protocol hip-sideways-fall \
  --label 1 -o "$OUT/fe-femur-left"
step "done: outputs in $OUT"
