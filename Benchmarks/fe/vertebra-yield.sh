#!/usr/bin/env bash
# Where a vertebral body yields at the 2 % compression limit, per region, for a series of element sizes
# (issue 7; docs/validation.md "FE element size"): builds the release FE and ImageFormats targets, links
# vertebra_yield.swift against them and runs it for each size.
# usage: Benchmarks/fe/vertebra-yield.sh DIR BODY_LABEL POSTERIOR_LABEL conforming|flat clinical|ogo VOXEL…
#   DIR holds density.nii.gz and labels.nii.gz. The real abdomen-3mm L1 as analyze models it (body 120,
#   posterior 170, conforming, clinical): DIR from `openbct segment CT -o DIR/labels.nii.gz --sites spine` and
#   `openbct calibrate CT -o DIR/density.nii.gz`. The L4 fixture: ../shared/data/fe-reference/vertebra_l4_mini
#   20 48 flat ogo; its thick-slice versions from Benchmarks/fe/thick_slice_fixture.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=$1 BODY=$2 POSTERIOR=$3 CAPS=$4 MODE=$5; shift 5
swift build -c release --target FE >/dev/null
swift build -c release --target ImageFormats >/dev/null
B=.build/release WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
swiftc -O -target-cpu haswell Benchmarks/fe/vertebra_yield.swift -I $B/Modules -I Sources/CZlib \
  $B/OpenBCTCore.build/*.o $B/FE.build/*.o $B/ImageFormats.build/*.o -lz -o "$WORK/vertebra_yield" >"$WORK/swiftc.log" 2>&1 || { cat "$WORK/swiftc.log"; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for VOXEL in "$@"; do "$WORK/vertebra_yield" "$VOXEL" "$DIR" "$BODY" "$POSTERIOR" "$CAPS" "$MODE"; done
