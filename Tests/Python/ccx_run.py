#!/usr/bin/env python3
"""Solve a CalculiX deck with ccx (default SPOOLES solver) and print its results as JSON.

usage: ccx_run.py DECK.inp [ENERGY_OUT.f64]

stdout: {"totals": {SET: [fx, fy, fz], ...}, "wall_s": seconds, "elements": count of energies}
for the last time increment. With ENERGY_OUT, the per-element internal energies (ELSE, N·mm) of the
last increment are written there as little-endian float64 in element-number order.
"""
import json, os, re, shutil, subprocess, sys, tempfile, time

import numpy as np


def main():
    deck = os.path.abspath(sys.argv[1])
    energy_out = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(deck, os.path.join(tmp, "job.inp"))
        env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"))
        t0 = time.time()
        r = subprocess.run(["ccx", "job"], cwd=tmp, env=env, capture_output=True, text=True)
        wall = time.time() - t0
        dat = os.path.join(tmp, "job.dat")
        if r.returncode != 0 or not os.path.exists(dat) or "*ERROR" in r.stdout:
            sys.stderr.write(r.stdout[-4000:] + r.stderr[-2000:])
            sys.exit(1)
        lines = open(dat).read().splitlines()
    totals, energies, block, values = {}, {}, None, None
    for line in lines:
        m = re.match(r"\s*total force \(fx,fy,fz\) for set (\S+) and time", line)
        e = re.match(r"\s*internal energy \(element, energy\) for set (\S+) and time", line)
        if m:
            block, values = ("total", m.group(1)), None
            continue
        if e:
            block, values = ("energy", e.group(1)), {}
            energies = values
            continue
        parts = line.split()
        if not parts or block is None:
            continue
        if block[0] == "total" and len(parts) == 3:
            totals[block[1]] = [float(p) for p in parts]
            block = None
        elif block[0] == "energy" and len(parts) == 2:
            energies[int(parts[0])] = float(parts[1])
    if energy_out is not None:
        n = max(energies) if energies else 0
        arr = np.zeros(n)
        for k, v in energies.items():
            arr[k - 1] = v
        arr.astype("<f8").tofile(energy_out)
    print(json.dumps({"totals": totals, "wall_s": wall, "elements": len(energies)}))


if __name__ == "__main__":
    main()
