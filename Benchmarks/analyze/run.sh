#!/usr/bin/env bash
# End-to-end benchmark: `openbct analyze` (hip + spine) on the default digital phantom, 512×512 pixels of
# 0.8 mm and 1.25 mm slices (≈ 336 slices with the hip coverage reaching 40 mm below the lesser
# trochanters), DICOM input. Target (issue 7): ≤ 30 s and ≤ 4 GiB peak on 2 cores.
# Prints the wall time, the peak resident memory (/usr/bin/time -v) and the per-stage times from result.json.
# Usage: Benchmarks/analyze/run.sh [OPENBCT_BINARY] [WORKDIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-}"
if [ -z "$BIN" ]; then (cd "$ROOT" && swift build -c release --product openbct >/dev/null); BIN="$ROOT/.build/release/openbct"; fi
WORK="${2:-$(mktemp -d)}"
[ -d "$WORK/phantom/dicom" ] || "$BIN" phantom -o "$WORK/phantom" --seed 1 --age 70 --sex F >/dev/null
rm -rf "$WORK/analysis"
/usr/bin/time -v "$BIN" analyze "$WORK/phantom/dicom" -o "$WORK/analysis" --height 162 --weight 58 >"$WORK/analyze.out" 2>"$WORK/time.txt"
python3 - "$WORK" <<'PY'
import json, re, sys
w = sys.argv[1]
t = open(f"{w}/time.txt").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", t).group(1)
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024 / 1024
d = json.load(open(f"{w}/analysis/result.json"))
dims = d["acquisition"]["dimensions"]
print(f"end to end (hip + spine) on {dims[0]}x{dims[1]}x{dims[2]}: {secs:.1f} s wall (target 30 s, ratio {secs/30:.2f}), "
      f"peak {rss:.2f} GiB (target 4 GiB, ratio {rss/4:.2f})")
for s in d["timings"]:
    print(f"  {s['stage']:<20} {s['seconds']:7.1f} s")
for s in d["strength"]:
    print(f"  strength {s['site']} {s.get('side') or s.get('level')}: {s['strength_N']:.0f} N, {s['elements']} elements, {s['seconds']:.1f} s")
PY
