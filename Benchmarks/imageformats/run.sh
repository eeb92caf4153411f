#!/usr/bin/env bash
# ImageFormats benchmark: NIfTI read/write of a 512×512×400 float32 CT-like volume, OpenBCT vs nibabel
# on the same files, runs interleaved (ours, theirs, ours, …) so machine load hits both alike.
# Prints MB/s (uncompressed volume bytes / best time) and the ratio OpenBCT/nibabel (> 1: OpenBCT
# faster), plus the peak memory of one OpenBCT .nii.gz read.
#   Benchmarks/imageformats/run.sh [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-3}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build -c release --product imageformats-bench >/dev/null)
bench="$(cd "$here" && swift build -c release --show-bin-path)/imageformats-bench"
python3 "$here/make_ct.py" "$work"
ours=(); theirs=()
for _ in $(seq "$rounds"); do
  ours+=("$("$bench" "$work" 1)")
  theirs+=("$(python3 "$here/bench_nibabel.py" "$work" 1)")
done
peak_kb="$(/usr/bin/time -f %M "$bench" read "$work/ct.nii.gz" 2>&1 >/dev/null | tail -1)"
python3 - "$peak_kb" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "${ours[@]}" -- "${theirs[@]}" <<'PY'
import json, sys
peak_kb, cores, load = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rest = sys.argv[4:]
split = rest.index("--")
ours = [json.loads(x) for x in rest[:split]]
theirs = [json.loads(x) for x in rest[split + 1:]]
mb = ours[0]["megabytes"]
print(f"512x512x400 float32 ({mb:.0f} MB), best of {len(ours)} interleaved rounds, {cores} cores, load average {load}")
print(f"{'operation':<16}{'OpenBCT MB/s':>14}{'nibabel MB/s':>14}{'ratio':>8}")
for key in ("read_nii", "write_nii", "read_nii.gz", "write_nii.gz"):
    a = mb / min(r[key] for r in ours)
    b = mb / min(r[key] for r in theirs)
    print(f"{key:<16}{a:>14.0f}{b:>14.0f}{a / b:>8.2f}")
print(f"peak RSS of one OpenBCT .nii.gz read: {peak_kb / 1024:.0f} MiB ({peak_kb * 1024 / 1e6 / mb:.2f}x the volume)")
PY
