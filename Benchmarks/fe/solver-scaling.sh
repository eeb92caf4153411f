#!/usr/bin/env bash
# FE linear-solver scaling on synthetic bone-like compression models (cortical shell, trabecular core
# with moduli over 1–10⁴ MPa, PMMA caps): PCG iterations, time, matvec cost and peak memory at about
# 10⁵, 10⁶ and 10⁷ degrees of freedom, multigrid vs Jacobi. One process per run, so peak RSS is per model.
#
# usage: Benchmarks/fe/solver-scaling.sh [--quick]    (--quick: skip the 10⁷-DOF model)
# Builds `openbct` in release mode first. Prints one JSON line per run, then a summary table.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product openbct >/dev/null
bin=.build/release/openbct
out=$(mktemp)
sizes=(33000 330000 3300000)
[[ "${1:-}" == "--quick" ]] && sizes=(33000 330000)
for n in "${sizes[@]}"; do
  "$bin" fe-bench --elements "$n" --preconditioner multigrid | tee -a "$out"
done
"$bin" fe-bench --elements 33000 --preconditioner jacobi | tee -a "$out"
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("\n| DOFs | elements | preconditioner | levels | PCG iterations | setup s | solve s | matvec ms / 10⁶ el | peak RSS MiB | MiB / 10⁶ el |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['dofs']:,} | {r['elements']:,} | {r['preconditioner']} | {r['levels']} | {r['iterations']} | {r['setup_s']:.2f} | "
          f"{r['solve_s']:.2f} | {r['matvec_ms_per_million_elements']:.1f} | {r['peak_rss_MiB']:.0f} | {r['peak_rss_MiB'] / (r['elements'] / 1e6):.0f} |")
mg = [r for r in rows if r['preconditioner'] == 'multigrid']
j = [r for r in rows if r['preconditioner'] == 'jacobi']
if mg and j:
    m0 = next(r for r in mg if r['elements'] == j[0]['elements'])
    print(f"\nJacobi/multigrid at {j[0]['dofs']:,} DOFs: iterations ×{j[0]['iterations'] / m0['iterations']:.1f}, "
          f"solve time ×{j[0]['solve_s'] / m0['solve_s']:.1f}")
print(f"multigrid iterations from {mg[0]['dofs']:,} to {mg[-1]['dofs']:,} DOFs: {[r['iterations'] for r in mg]}")
PY
rm -f "$out"
