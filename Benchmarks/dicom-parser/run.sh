#!/usr/bin/env bash
# Parser benchmark: header parse, full parse and parse + rescaled frame decode of real CT slices
# (native LE/BE/implicit/deflate and an Enhanced CT multi-frame), ours (release build) vs pydicom on
# the same files in the same run; best of REPEATS. Prints a Markdown table with pydicom/ours ratios.
# usage: Benchmarks/dicom-parser/run.sh [REPEATS=200]     (needs ../shared/data and python3 + pydicom)
set -euo pipefail
cd "$(dirname "$0")/../.."
OPENBCT_BENCHMARK=1 OPENBCT_BENCHMARK_REPEATS=${1:-200} \
    swift test -c release --filter ParserBenchmark 2>&1 | grep -E '^(file|[A-Za-z0-9_.-]+\.dcm) \|'
