#!/usr/bin/env bash
# Calibration + eligibility + spine and hip densitometry on a 512×512×321 CT (the digital phantom, hips and
# lumbar spine, 0.8 mm pixels, 1.25 mm slices), against the budget of issue #5 (≤ 3 s). Release build:
#   Benchmarks/calibration/run.sh [RUNS]
# CONFIG=debug uses the debug build instead (the timed modules — Calibration, Anatomy, Densitometry,
# Eligibility, OpenBCTCore — are compiled with -O in every configuration; only the untimed load is slower).
# `openbct bmd --timings` times each stage in-process after the volume is in memory: "load" (reading the
# 84 MB .nii.gz) and "segment" are reported but are not part of the budget; the figure compared with 3 s is
# calibrate + eligibility + density map + spine + hip. (z −115…285 mm: both femurs below the lesser
# trochanter and the T12 ribs in view, so both sites are accepted and the levels named.) Also prints
# `calibrate --json` wall time without writing a density file (the old benchmark wrote one: gzip I/O).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"
CONFIG="${CONFIG:-release}"
swift build -c "$CONFIG" --product openbct >/dev/null
BIN=.build/$CONFIG/openbct
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
"$BIN" phantom -o "$WORK/p" --no-dicom --z-coverage=-115,285 > /dev/null
echo "openbct bmd ($CONFIG build), 512×512×321 digital phantom, $RUNS runs (machine load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
for _ in $(seq "$RUNS"); do
  "$BIN" bmd "$WORK/p/hu.nii.gz" --kvp 120 --timings 2>&1 >/dev/null | sed -n 's/^timings: //p' | awk -F', ' '{
    budget = 0
    for (i = 1; i <= NF; i++) { split($i, a, " "); t[a[1]] = a[2]; c[a[1]] = a[5] }
    budget = t["calibrate"] + t["eligibility"] + t["density-map"] + t["spine"] + t["hip"]
    cpu = c["calibrate"] + c["eligibility"] + c["density-map"] + c["spine"] + c["hip"]
    printf "  %s\n  => calibration + eligibility + densitometry %.2f s wall, %.2f s cpu (budget 3 s wall: %s)\n", $0, budget, cpu, budget <= 3 ? "met" : "NOT met"
  }'
done
for method in internal two-point; do
  /usr/bin/time -f "  calibrate --method $method --json (no density file): %e s wall incl. load, %M KB" \
    "$BIN" calibrate "$WORK/p/hu.nii.gz" --method "$method" --kvp 120 --json > /dev/null
done
