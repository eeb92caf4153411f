#!/usr/bin/env bash
# Service benchmark: analyses per hour with 1 and 2 in-server workers, and latency from the last
# STOW-RS instance of a study to its report being ready for review. Runs a real `openbct serve`.
#
# The analysis is the stand-in (Tests/ServiceFixtures/standin-analysis.sh, STANDIN_SECONDS each) unless
# OPENBCT_BENCH_ANALYSIS names another executable: until `openbct analyze` is merged, the figures
# measure the service (intake, queue, claims, storage) around a fixed-length analysis.
#
# usage: Benchmarks/service/run.sh [studies=6] [slices=40]   (OPENBCT_BIN: the openbct binary to use)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${OPENBCT_BIN:-$(swift build --product openbct --show-bin-path)/openbct}"
[ -x "$BIN" ] || swift build --product openbct
exec python3 Benchmarks/service/bench.py "$BIN" "${1:-6}" "${2:-40}"
