#!/usr/bin/env python3
"""Run parosol-py's shortcut CLI (`parosol IMAGE --profile P --mask M -o OUT`) with its solver on
2 MPI processes: its profiles and templates ask for 4, which oversubscribes a 2-core machine, so the
solver command builder is wrapped to launch `-np 2`.

usage: parosol_two_processes.py IMAGE --profile P --mask M -o OUT
"""
import importlib
import pkgutil
import sys

import parosol_py
from parosol_py import cli, runner

original = runner.build_parosol_command


def two_processes(**kwargs):
    kwargs["mpi_processes"] = 2
    return original(**kwargs)


for info in pkgutil.iter_modules(parosol_py.__path__):
    try:
        module = importlib.import_module(f"parosol_py.{info.name}")
    except Exception:
        continue
    if getattr(module, "build_parosol_command", None) is original:
        module.build_parosol_command = two_processes

sys.exit(cli.main(sys.argv[1:]))
