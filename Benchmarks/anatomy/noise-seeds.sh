#!/usr/bin/env bash
# Femoral head search under heavy noise, over several noise draws: the small hip phantom of
# PhantomRobustnessTests (hips only, 2 mm voxels, no rods, z −95…60 mm) at NOISE HU for each seed,
# segmented by `openbct segment --sites hip`; prints each femur's head centre error, radius and the
# chosen sphere's distance class (head ≤ 0.1 R, else "WRONG SPHERE").
# Usage: Benchmarks/anatomy/noise-seeds.sh [noise=40] [seeds="1 2 3 4 5"]; OPENBCT=path picks the binary
# (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
noise=${1:-40}
seeds=${2:-"1 2 3 4 5"}
bin=${OPENBCT:-}
if [ -z "$bin" ]; then swift build -c release --product openbct >/dev/null; bin=.build/release/openbct; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for s in $seeds; do
  "$bin" phantom -o "$work/ph$s" --sites hip --z-coverage=-95,60 --voxel 2 --slice-thickness 2 \
    --phantom-rods none --noise "$noise" --seed "$s" --no-dicom >/dev/null
  "$bin" segment "$work/ph$s/hu.nii.gz" -o "$work/seg$s.nii.gz" --sites hip --json > "$work/seg$s.json"
  python3 - "$s" "$work/seg$s.json" "$work/ph$s/truth.json" <<'PY'
import json, sys, numpy as np
seed, r, t = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
for tf in t["femurs"]:
    f = next((x for x in r["femurs"] if x["side"] == tf["side"]), None)
    l = f.get("landmarks") if f else None
    if not l:
        print(f"seed {seed} {tf['side']}: not segmented —", "; ".join(x["message"] for x in r["findings"])); continue
    e = float(np.linalg.norm(np.subtract(l["headCenter"], tf["headCentre"])))
    verdict = "head" if e <= 0.1 * tf["headRadius"] else "WRONG SPHERE"
    print(f"seed {seed} {f['side']}: head centre error {e:.2f} mm, radius {l['headRadiusMM']:.1f} (truth {tf['headRadius']}) — {verdict}")
PY
done
