#!/usr/bin/env bash
# The bundled example: the digital phantom (generated, not stored) analysed end to end with one command:
# ingest → eligibility → calibration (phantomless) → anatomy → hip aBMD + spine vBMD → nonlinear FE strength
# (both femurs, L1) → classes, risk, load-to-strength ratio → result.json, figures, PDF report, DICOM
# (Encapsulated PDF, SR, SEG), FHIR bundle, billing summary. Docs: docs/analysis.md.
# Usage: scripts/example.sh OPENBCT_BINARY OUTDIR
set -euo pipefail
BIN="$1"; OUT="$2"
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }
"$BIN" --version
step "digital phantom: 2 mm pixels, 2 mm slices (quick), DICOM series + truth.json"
"$BIN" phantom -o "$OUT/phantom" --seed 1 --voxel 2 --slice-thickness 2 --age 70 --sex F
step "analyze (hip and spine; 2 mm FE elements for speed — the default is 1.5 mm)"
"$BIN" analyze "$OUT/phantom/dicom" -o "$OUT/analysis" --voxel 2 --height 162 --weight 58 --indication M81.0 R29.6
step "done: $OUT/analysis (result.json, report.pdf, report-*.dcm, segmentation.dcm, diagnostic-report.fhir.json, figures)"
ls "$OUT/analysis"
