#!/usr/bin/env bash
# Optional: the FE peers for Benchmarks/fe/peers.sh. parosol-py 0.1.26 ships its ParOSol solver and an
# Open MPI launcher in the wheel (no Debian MPI needed); CalculiX comes from scripts/install-deps.sh.
set -euo pipefail
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore parosol-py==0.1.26 h5py
