#!/usr/bin/env python3
"""Table of Benchmarks/fe/path-spread.sh's runs: per model and first increment (1/steps) the default's and the
variant's strength, increments, cut-backs, Newton, passes (Krylov iterations + internal-force evaluations, failed
attempts included: one initial evaluation and one per Newton iteration of each failed attempt) and CPU seconds, the
variant's change, and the means over the paths.
usage: Benchmarks/fe/path_spread_table.py OUTDIR"""
import glob
import os
import re
import sys

from convergence_table import parse


def passes(run):
    """Sweeps over the elements the solve made: Krylov iterations (each one tangent product and one V-cycle) and
    internal-force evaluations (each attempt's first, one per Newton iteration and line-search trial; the converged
    iterate's evaluation is its commit since h/fe-precond11 — runs before it made one more pass per increment),
    measured alike (≈ 0.07 s each on the 1 mm femur, docs/fe-methods.md)."""
    return run["krylov"] + run["failed_krylov"] + run["evaluations"] + run["failed_newton"] + run["cutbacks"]


def main():
    out = sys.argv[1]
    variant = open(os.path.join(out, "variant")).read().strip() if os.path.exists(os.path.join(out, "variant")) else "variant"
    runs = {}
    for path in glob.glob(os.path.join(out, "*.txt")):
        model, config = os.path.basename(path)[:-4].rsplit(".", 1)
        m = re.fullmatch(r"(default|variant)-s(\d+)", config)
        if m:
            runs.setdefault(model, {}).setdefault(int(m[2]), {})[m[1]] = parse(path)
    for model, paths in sorted(runs.items()):
        print(f"\n{model}: default against {variant}")
        print("| first increment | strength N | increments | cut-backs | Newton (+failed) | passes | CPU s | passes change | CPU change |")
        print("|---|---|---|---|---|---|---|---|---|")
        means = {"default": [], "variant": []}
        for steps, pair in sorted(paths.items()):
            if len(pair) < 2:
                continue
            d, v = pair["default"], pair["variant"]
            cell = lambda key, fmt: f"{fmt.format(d[key])} / {fmt.format(v[key])}"
            print(f"| 1/{steps} | {cell('strength', '{:,.3f}')} | {cell('increments', '{}')} | {cell('cutbacks', '{}')} "
                  f"| {d['newton']} (+{d['failed_newton']}) / {v['newton']} (+{v['failed_newton']}) "
                  f"| {passes(d):,} / {passes(v):,} | {d['cpu']:.1f} / {v['cpu']:.1f} "
                  f"| {100 * (passes(v) / passes(d) - 1):+.0f} % | {100 * (v['cpu'] / d['cpu'] - 1):+.0f} % |")
            for name, run in (("default", d), ("variant", v)):
                means[name].append((passes(run), run["cpu"]))
        if means["default"]:
            mean = {k: [sum(x[i] for x in rows) / len(rows) for i in (0, 1)] for k, rows in means.items()}
            (dp, dc), (vp, vc) = mean["default"], mean["variant"]
            print(f"| mean of {len(means['default'])} | | | | | {dp:,.0f} / {vp:,.0f} | {dc:.1f} / {vc:.1f} "
                  f"| {100 * (vp / dp - 1):+.0f} % | {100 * (vc / dc - 1):+.0f} % |")


if __name__ == "__main__":
    main()
