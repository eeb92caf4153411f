#!/usr/bin/env bash
# Nonlinear femur strength (hip sideways fall, Morgan law) through the FE module alone: builds only the
# FE and ImageFormats targets in release (minutes less than the whole `openbct`), links
# femur_strength.swift against them and prints strength, iteration counts, CPU and wall seconds and
# cores used (CPU/wall) of the solve, with the load average. Kernel work must leave the strength and
# the iteration counts unchanged; on a shared machine CPU seconds are the comparable figure.
# usage: Benchmarks/fe/femur-strength.sh [voxel mm (default 1)] [repetitions (default 1)] [fixture directory]
#   (fixture default ../shared/data/fe-reference/femur_left_mini; a vertebra fixture, e.g. …/vertebra_l4_mini,
#   runs the L4 compression of `Benchmarks/fe/nonlinear.sh` instead)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --target FE >/dev/null
swift build -c release --target ImageFormats >/dev/null
B=.build/release WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
swiftc -O -target-cpu haswell Benchmarks/fe/femur_strength.swift -I $B/Modules -I Sources/CZlib \
  $B/OpenBCTCore.build/*.o $B/FE.build/*.o $B/ImageFormats.build/*.o -lz -o "$WORK/femur_strength" >"$WORK/swiftc.log" 2>&1 || { cat "$WORK/swiftc.log"; exit 1; }
for _ in $(seq "${2:-1}"); do
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$WORK/femur_strength" "${1:-1}" ${3:+"$3"}
done
