#!/usr/bin/env bash
# Service benchmark: analyses per hour with 1 and 2 in-server workers, and latency from the last STOW-RS
# instance of a study to its report being ready for review. Runs a real `openbct serve` whose workers run the
# real `openbct analyze` on digital-phantom CT studies (one patient each, sent by STOW-RS).
#
# usage: Benchmarks/service/run.sh [studies=4]   (OPENBCT_BIN: the openbct binary to use, e.g. a release build)
# OPENBCT_BENCH_PHANTOM / OPENBCT_BENCH_ANALYSIS_ARGS override the study (`openbct phantom` options) and the
# analysis options (`jobs.analysisArguments`); the defaults and why: docs/benchmarks.md, "## Service".
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${OPENBCT_BIN:-$(swift build --product openbct --show-bin-path)/openbct}"
[ -x "$BIN" ] || swift build --product openbct
exec python3 Benchmarks/service/bench.py "$BIN" "${1:-4}"
