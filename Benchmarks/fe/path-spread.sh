#!/usr/bin/env bash
# A solver variant against the default over several increment paths (docs/benchmarks.md, FE solver, h/fe-precond11).
# At the 10⁻³ equilibrium tolerance where each increment lands moves the next ones (a cut-back, a held step, a peak
# found or not): one model's cost at one first increment varies by ±15 % between paths of the same solver, so one
# run per variant cannot tell a better preconditioner or increment rule from a luckier path. This runs both
# configurations at first increments 1/10, 1/12 (analyze's), 1/16 and 1/24 of the limit on the default phantom's
# femurs (Benchmarks/fe/phantom-femur.sh's preparation), pinned to one core (the two femurs of an analysis are
# solved concurrently, one core each), through Benchmarks/fe/convergence.sh, then prints per path and on average
# the passes (Krylov iterations + internal-force evaluations, failed attempts included: each ≈ one
# sweep over the elements) and the solve's CPU seconds (Benchmarks/fe/path_spread_table.py).
# usage: Benchmarks/fe/path-spread.sh OUTDIR ["VARIANT SETTINGS" (default OPENBCT_FE_TANGENT_COARSE=0: elastic coarse levels, the default before 2026-11-30)] [MODEL…]
#   STEPS="10 12 16 24" picks the first increments, CORE (default 0) the core; runs already in OUTDIR are kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: path-spread.sh OUTDIR [VARIANT SETTINGS] [MODEL…]}; VARIANT=${2:-OPENBCT_FE_TANGENT_COARSE=0}
shift $(( $# < 2 ? $# : 2 ))
CONFIGS=""
for s in ${STEPS:-10 12 16 24}; do CONFIGS+="default-s$s=OPENBCT_FE_STEPS=$s;variant-s$s=$VARIANT OPENBCT_FE_STEPS=$s;"; done
mkdir -p "$OUT"; echo "$VARIANT" >"$OUT/variant"
CONFIGS=${CONFIGS%;} taskset -c "${CORE:-0}" Benchmarks/fe/convergence.sh "$OUT" ${*:-phantom-left phantom-right}
python3 Benchmarks/fe/path_spread_table.py "$OUT"
