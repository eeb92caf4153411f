#!/usr/bin/env bash
# Single-thread A/B of two femur-strength driver binaries (each built by the swiftc line of femur-strength.sh, e.g.
# before and after a kernel change): both run at the same time, each pinned to its own core (taskset), then again
# with the cores swapped — on a machine shared with other work both see the same load, so their CPU seconds compare
# where consecutive runs do not. Prints per run the solve line (CPU, wall), the strength and the counts.
# usage: Benchmarks/fe/side-by-side.sh BINARY_A BINARY_B [driver arguments: voxel mm, fixture directory]
#   e.g. Benchmarks/fe/side-by-side.sh /tmp/before /tmp/after 1.5 /tmp/openbct-phantom-femur/femur-left
set -euo pipefail
[ $# -ge 2 ] || { echo "error: usage: $0 BINARY_A BINARY_B [voxel] [fixture]" >&2; exit 2; }
A=$1 B=$2; shift 2
for bin in "$A" "$B"; do [ -x "$bin" ] || { echo "error: $bin is not an executable driver binary" >&2; exit 2; }; done
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
for round in 1 2; do
  if [ "$round" = 1 ]; then ca=0 cb=1; else ca=1 cb=0; fi
  echo "round $round (A on core $ca, B on core $cb), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  taskset -c "$ca" "$A" "$@" >"$WORK/a" 2>&1 & pa=$!
  taskset -c "$cb" "$B" "$@" >"$WORK/b" 2>&1 & pb=$!
  wait "$pa" "$pb"
  for side in a b; do
    echo "  ${side^^}: $(grep -E '^solve' "$WORK/$side")"
    echo "     $(grep -oE 'strength [0-9.]+ N' "$WORK/$side"); $(grep -E '^increments' "$WORK/$side"); $(grep -E '^failed' "$WORK/$side")"
  done
done
