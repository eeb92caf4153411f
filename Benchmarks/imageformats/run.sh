#!/usr/bin/env bash
# ImageFormats benchmark: NIfTI read/write of a 512×512×400 float32 CT-like volume, OpenBCT vs nibabel
# in the same run, on the same files. Prints MB/s (uncompressed volume bytes / best of REPEATS) and
# the ratio OpenBCT/nibabel (> 1 means OpenBCT is faster), plus peak memory of one OpenBCT .nii.gz read.
#   Benchmarks/imageformats/run.sh [REPEATS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repeats="${1:-3}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build -c release --product imageformats-bench >/dev/null)
bench="$(cd "$here" && swift build -c release --show-bin-path)/imageformats-bench"
python3 "$here/make_ct.py" "$work"
ours="$("$bench" "$work" "$repeats")"
theirs="$(python3 "$here/bench_nibabel.py" "$work" "$repeats")"
peak_kb="$(/usr/bin/time -f %M "$bench" read "$work/ct.nii.gz" 2>&1 >/dev/null | tail -1)"
python3 - "$ours" "$theirs" "$peak_kb" "$(nproc)" <<'PY'
import json, sys
ours, theirs, peak_kb, cores = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
mb = ours["megabytes"]
print(f"512x512x400 float32 ({mb:.0f} MB), best of runs, {cores} cores")
print(f"{'operation':<16}{'OpenBCT MB/s':>14}{'nibabel MB/s':>14}{'ratio':>8}")
for key in ("read_nii", "write_nii", "read_nii.gz", "write_nii.gz"):
    a, b = mb / ours[key], mb / theirs[key]
    print(f"{key:<16}{a:>14.0f}{b:>14.0f}{a / b:>8.2f}")
print(f"peak RSS of one OpenBCT .nii.gz read: {peak_kb / 1024:.0f} MiB ({peak_kb * 1024 / 1e6 / mb:.2f}x the volume)")
PY
