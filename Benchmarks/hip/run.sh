#!/usr/bin/env bash
# Hip densitometry speed: both femurs of the digital phantom (512², 0.8 mm, 1.25 mm slices, hips only)
# through HipDensitometry.measure — pose, mineral projection, regions, scores. Target: well under 1 s
# (part of the ≤ 3 s calibration + spine + hip budget of issue 5).
#   Benchmarks/hip/run.sh [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
(cd "$here" && swift build -c release --product hip-bench >/dev/null)
bench="$(cd "$here" && swift build -c release --show-bin-path)/hip-bench"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
"$bench" "${1:-5}"
