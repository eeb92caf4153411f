#!/usr/bin/env bash
# FE models against peers, side by side in one run on this machine (2 cores):
#   openbct (release)  vs  parosol-py 0.1.26 (2 MPI processes)  vs  CalculiX 2.20 (SPOOLES, 2 threads).
# Per fixture (real L4 and femur in ../shared/data/fe-reference):
#   1. whole pipeline from density + labels: `openbct fe` vs `parosol IMAGE --profile …` (wall time, stiffness);
#   2. the peer's exact model: `openbct fe --parosol-model` vs parosol-py's solver on its own h5;
#   3. CalculiX on the deck `openbct fe --export-inp` wrote (the model openbct solved), unless --no-ccx.
# Prints wall times (s), stiffness (N/mm) and ratios. Needs Benchmarks/fe/install-peers.sh.
# usage: Benchmarks/fe/peers.sh [--no-ccx]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD DATA=$ROOT/../shared/data/fe-reference BENCH=$ROOT/Benchmarks/fe
WITH_CCX=1; [ "${1:-}" = "--no-ccx" ] && WITH_CCX=0
swift build -c release --product openbct >/dev/null
OPENBCT=$ROOT/.build/release/openbct
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
wall() { local s; s=$(date +%s.%N); "$@" >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log"; return 1; }; echo "$(date +%s.%N) - $s" | bc; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

printf '%-8s %-34s %10s %12s\n' case run wall_s N/mm
for spec in "l4 vertebra_l4_mini spine-compression vertebra-compression-ogo --frame-z 0,0,1 --frame-x 1,0,0" \
            "femur femur_left_mini hip-sideways-fall-left hip-sideways-fall"; do
  set -- $spec; name=$1 fixture=$2 profile=$3 protocol=$4; shift 4
  D=$DATA/$fixture
  t_ours=$(wall "$OPENBCT" fe --density "$D/density.nii.gz" --labels "$D/labels.nii.gz" --protocol "$protocol" "$@" \
           --export-inp "$WORK/$name.inp" -o "$WORK/$name-ours")
  k_ours=$(json "$WORK/$name-ours/fe.json" "d['results']['stiffness_N_per_mm']")
  printf '%-8s %-34s %10.2f %12.1f\n' "$name" "openbct fe ($protocol)" "$t_ours" "$k_ours"
  t_peer=$(wall python3 "$BENCH/parosol_two_processes.py" "$D/density.nii.gz" --profile "$profile" --mask "$D/labels.nii.gz" -o "$WORK/$name-peer")
  k_peer=$(python3 -c "import csv; r=next(csv.DictReader(open('$WORK/$name-peer/results.csv'))); print(abs(float(r['generalized_stiffness_value'])))")
  printf '%-8s %-34s %10.2f %12.1f   ratio parosol/openbct %.1fx\n' "$name" "parosol-py ($profile, -np 2)" "$t_peer" "$k_peer" "$(echo "$t_peer / $t_ours" | bc -l)"
  python3 "$ROOT/Tests/Python/parosol_model_dump.py" "$D/parosol-0.1.26/parosol_input.h5.gz" "$WORK/$name-dump"
  t_exact=$(wall "$OPENBCT" fe --parosol-model "$WORK/$name-dump" -o "$WORK/$name-exact")
  k_exact=$(json "$WORK/$name-exact/fe.json" "d['results']['stiffness_N_per_mm']")
  t_psolve=$(python3 "$BENCH/parosol_solve_h5.py" "$D/parosol-0.1.26/parosol_input.h5.gz")
  printf '%-8s %-34s %10.2f %12.1f\n' "$name" "openbct on parosol's exact model" "$t_exact" "$k_exact"
  printf '%-8s %-34s %10.2f %12s   ratio %.1fx\n' "$name" "parosol solver alone (same h5)" "$t_psolve" "-" "$(echo "$t_psolve / $t_exact" | bc -l)"
  if [ "$WITH_CCX" = 1 ]; then
    t_ccx=$(wall env OMP_NUM_THREADS=2 python3 "$ROOT/Tests/Python/ccx_run.py" "$WORK/$name.inp")
    f_ccx=$(python3 -c "import json; print(json.load(open('$WORK/last.log'))['totals']['N_LOADED'][2])")
    d=$(json "$WORK/$name-ours/fe.json" "d['results']['appliedDisplacement_mm']")
    printf '%-8s %-34s %10.2f %12.1f   ratio CalculiX/openbct %.1fx\n' "$name" "CalculiX (our deck, 2 threads)" "$t_ccx" \
      "$(echo "$f_ccx / $d" | bc -l)" "$(echo "$t_ccx / $t_ours" | bc -l)"
  fi
done
