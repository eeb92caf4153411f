#!/usr/bin/env python3
"""Tables of Benchmarks/fe/convergence.sh's runs: per model and configuration the strength and its error against
the model's reference (`ref-a`), the largest pointwise curve error (each point's force against the reference curve
interpolated at its displacement, relative to the reference force there), and the cost: increments,
cut-backs, Newton and Krylov iterations (+ those of failed attempts), CPU and wall seconds.
usage: Benchmarks/fe/convergence_table.py OUTDIR [REFERENCE (default ref-a)]"""
import glob
import os
import re
import sys

import numpy as np
from scipy.interpolate import PchipInterpolator


def parse(path):
    text = open(path).read()
    run = {}
    m = re.search(r"(\d+) elements: strength ([\d.]+) N at ([\d.]+) mm", text)
    run["elements"], run["strength"], run["peak_mm"] = int(m[1]), float(m[2]), float(m[3])
    m = re.search(r"increments (\d+), cut-backs (\d+), Newton (\d+), Krylov (\d+), internal-force evaluations (\d+)", text)
    run["increments"], run["cutbacks"], run["newton"], run["krylov"], run["evaluations"] = map(int, m.groups())
    m = re.search(r"failed attempts: (\d+) Newton, (\d+) Krylov", text)
    run["failed_newton"], run["failed_krylov"] = map(int, m.groups())
    m = re.search(r"solve: CPU ([\d.]+) s, wall ([\d.]+) s", text)
    run["cpu"], run["wall"] = float(m[1]), float(m[2])
    rows = [line.split() for line in text.splitlines() if re.match(r"\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.-]+\s", line)]
    run["d"] = np.array([0.0] + [float(r[2]) for r in rows])
    run["f"] = np.array([0.0] + [float(r[3]) for r in rows])
    return run


def curve_error(run, ref):
    """Largest |F − F_ref(d)| / F_ref(d) over the run's points after the origin (%), and where (mm). The reference is
    interpolated monotone-cubically (PCHIP): linearly, its chords cut the yield knee by up to 0.8 % (phantom femur)."""
    d, f = run["d"][1:], run["f"][1:]
    expected = PchipInterpolator(ref["d"], ref["f"])(d)
    errors = np.abs(f - expected) / expected
    return 100 * errors.max(), d[errors.argmax()]


def main():
    out = sys.argv[1]
    reference = sys.argv[2] if len(sys.argv) > 2 else "ref-a"
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, "*.txt"))):
        model, config = os.path.basename(path)[:-4].rsplit(".", 1)
        runs.setdefault(model, {})[config] = parse(path)
    for model, configs in runs.items():
        ref = configs.get(reference)
        print(f"\n{model} ({next(iter(configs.values()))['elements']:,} elements)"
              + (f": reference {reference} {ref['strength']:.3f} N at {ref['peak_mm']:.3f} mm" if ref else ": no reference yet"))
        print("| configuration | strength N | error % | curve max error % | increments | cut-backs | Newton (+failed) "
              "| Krylov (+failed) | CPU s | wall s |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for config, run in sorted(configs.items()):
            error = f"{100 * (run['strength'] / ref['strength'] - 1):+.3f}" if ref else "—"
            pointwise = "{:.3f} at {:.2f} mm".format(*curve_error(run, ref)) if ref else "—"
            print(f"| {config} | {run['strength']:.3f} | {error} | {pointwise} | {run['increments']} | {run['cutbacks']} "
                  f"| {run['newton']} (+{run['failed_newton']}) | {run['krylov']} (+{run['failed_krylov']}) "
                  f"| {run['cpu']:.1f} | {run['wall']:.1f} |")
    failed = sorted(glob.glob(os.path.join(out, "*.failed")))
    for path in failed:
        print(f"\nfailed: {os.path.basename(path)}: {open(path).read().strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
