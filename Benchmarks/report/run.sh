#!/usr/bin/env bash
# Reporting benchmark: time of each rendering (PDF, Encapsulated PDF, SR, SEG of a 512×512×300 label
# map with 7 bones and 300 source images, FHIR bundle). Target: < 1 s each. Usage: Benchmarks/report/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OPENBCT_BENCHMARK=1 swift test --filter ReportingBenchmark 2>&1 | grep "BENCH report"
