#!/usr/bin/env python3
"""Solve a ParOSol input (.h5 or .h5.gz) with parosol-py 0.1.26's bundled solver on 2 MPI processes,
exactly as the peer solves its models (multigrid PCG, tolerance 1e-4, level 6, SED output); prints the
solver's wall time in seconds.

usage: parosol_solve_h5.py INPUT.h5[.gz]
"""
import gzip, os, shutil, sys, tempfile, time

from parosol_py import runner

with tempfile.TemporaryDirectory() as tmp:
    src = sys.argv[1]
    h5 = os.path.join(tmp, "model.h5")
    if src.endswith(".gz"):
        with gzip.open(src, "rb") as a, open(h5, "wb") as b:
            shutil.copyfileobj(a, b)
    else:
        shutil.copy(src, h5)
    cmd = runner.build_parosol_command(executable=runner.packaged_executable(), input_file=h5, outputs=("sed",),
                                       tolerance=1e-4, level=6, mpi_processes=2)
    t0 = time.time()
    result = runner.run_parosol(cmd, cwd=tmp)
    print(f"{time.time() - t0:.2f}")
