#!/usr/bin/env bash
# Nonlinear strength on the real L4 and femur of ../shared/data/fe-reference (1 mm elements):
# `openbct fe --nonlinear` (Newton–Krylov, principal-strain yield), wall time, strength, increments,
# Newton and Krylov iterations, CPU (user) seconds, peak RSS, and per increment: Newton and Krylov
# iterations, internal-force evaluations, cut-backs and seconds. Goal (issue 6): femur strength ≤ 60 s
# on 2 cores. The load average is printed: on a shared machine CPU time is the comparable figure.
# usage: Benchmarks/fe/nonlinear.sh [extra openbct fe options…]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD DATA=$ROOT/../shared/data/fe-reference
swift build -c release --product openbct >/dev/null
OPENBCT=$ROOT/.build/release/openbct
EXTRA=("$@")
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %8s %8s %10s %10s %6s %7s %6s %9s %8s\n' case wall_s cpu_s strength_N peak_mm incr newton krylov elements rss_MiB
for spec in "l4 vertebra_l4_mini vertebra-compression-ogo --frame-z 0,0,1 --frame-x 1,0,0" \
            "femur femur_left_mini hip-sideways-fall --material femur-morgan"; do
  set -- $spec; name=$1 fixture=$2 protocol=$3; shift 3
  D=$DATA/$fixture
  /usr/bin/time -f '%e %U %M' -o "$WORK/time" "$OPENBCT" fe --density "$D/density.nii.gz" --labels "$D/labels.nii.gz" \
    --protocol "$protocol" --nonlinear "$@" ${EXTRA[@]+"${EXTRA[@]}"} -o "$WORK/$name" >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log"; exit 1; }
  read -r wall cpu rss <"$WORK/time"
  python3 - "$WORK/$name/fe.json" "$name" "$wall" "$cpu" "$rss" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); n = d['nonlinear']; c = n['curve'][1:]
print(f"{sys.argv[2]:<6} {float(sys.argv[3]):8.1f} {float(sys.argv[4]):8.1f} {n['strength_N']:10.1f} {n['displacementAtPeak_mm']:10.3f} {len(c):6d} "
      f"{sum(p['newtonIterations'] for p in c):7d} {sum(p['pcgIterations'] for p in c):6d} {d['solver']['elements']:9d} {int(sys.argv[5]) / 1024:8.0f}")
print(f"       solver {n['seconds']:.1f} s, linear stiffness {n['linearStiffness_N_per_mm']:.1f} N/mm, cut-backs {n['cutbacks']}, "
      f"limit {n['limitDisplacement_mm']:.3f} mm; yielded at the end {100 * c[-1]['yieldedElementFraction']:.1f} %")
print("       increment  displacement_mm  force_N  yielded_%  newton  krylov  evaluations  cutbacks  failed_newton  failed_krylov  seconds")
for i, p in enumerate(c, 1):
    print(f"       {i:9d} {p['displacement_mm']:16.3f} {p['force_N']:8.0f} {100 * p['yieldedElementFraction']:10.1f} {p['newtonIterations']:7d} "
          f"{p['pcgIterations']:7d} {p['residualEvaluations']:12d} {p['cutbacks']:9d} {p['failedNewtonIterations']:14d} "
          f"{p['failedKrylovIterations']:14d} {p['seconds']:8.1f}")
PY
done
