#!/usr/bin/env bash
# Runs the most complete job available on the bundled (generated) example.
# Usage: scripts/example.sh OPENBCT_BINARY OUTDIR
set -euo pipefail
BIN="$1"; OUT="$2"
mkdir -p "$OUT"
"$BIN" --version
# The bundled example: the digital phantom (DICOM series, NIfTI, truth.json), generated, not stored.
"$BIN" phantom -o "$OUT/phantom" --timings
