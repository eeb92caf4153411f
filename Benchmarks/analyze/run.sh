#!/usr/bin/env bash
# End-to-end benchmark: `openbct analyze` (hip + spine) on the default digital phantom, 512×512 pixels of
# 0.8 mm and 1.25 mm slices (≈ 336 slices with the hip coverage reaching 40 mm below the lesser
# trochanters), DICOM input. Target (issue 7): ≤ 30 s and ≤ 4 GiB peak on 2 cores.
# Prints the load average before the run, the wall time, the CPU seconds (user + system) and the peak resident
# memory (/usr/bin/time -v), the per-stage times from result.json and each bone's strength, stiffness, elements,
# curve points and seconds. Extra `analyze` options may follow the two arguments (e.g. --voxel 1).
# Usage: Benchmarks/analyze/run.sh [OPENBCT_BINARY] [WORKDIR] [ANALYZE OPTIONS…]  ("" for the default binary)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-}"
if [ -z "$BIN" ]; then (cd "$ROOT" && swift build -c release --product openbct >/dev/null); BIN="$ROOT/.build/release/openbct"; fi
WORK="${2:-$(mktemp -d)}"
shift $(( $# < 2 ? $# : 2 ))
[ -d "$WORK/phantom/dicom" ] || "$BIN" phantom -o "$WORK/phantom" --seed 1 --age 70 --sex F >/dev/null
rm -rf "$WORK/analysis"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v "$BIN" analyze "$WORK/phantom/dicom" -o "$WORK/analysis" --height 162 --weight 58 "$@" >"$WORK/analyze.out" 2>"$WORK/time.txt"
python3 - "$WORK" <<'PY'
import json, re, sys
w = sys.argv[1]
t = open(f"{w}/time.txt").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", t).group(1)
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024 / 1024
d = json.load(open(f"{w}/analysis/result.json"))
dims = d["acquisition"]["dimensions"]
print(f"end to end (hip + spine) on {dims[0]}x{dims[1]}x{dims[2]}: {secs:.1f} s wall (target 30 s, ratio {secs/30:.2f}), "
      f"{cpu:.1f} s CPU ({cpu/secs:.2f} cores), peak {rss:.2f} GiB (target 4 GiB, ratio {rss/4:.2f})")
for s in d["timings"]:
    print(f"  {s['stage']:<20} {s['seconds']:7.1f} s")
for s in d["strength"]:
    print(f"  strength {s['site']} {s.get('side') or s.get('level')}: {s['strength_N']:.3f} N, {s['linearStiffness_N_per_mm']:.3f} N/mm, "
          f"{s['elements']} elements ({s['voxelSize_mm']} mm), {len(s['curve'])} curve points, {s['seconds']:.1f} s")
PY
