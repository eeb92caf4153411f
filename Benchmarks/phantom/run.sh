#!/usr/bin/env bash
# Times `openbct phantom` at the default size (512×512×305, 0.8 mm pixels, 1.25 mm slices) on 2 cores.
# Prints wall and CPU seconds per run (minimum and median of RUNS), with and without the DICOM series,
# and the stage breakdown of the last run. No peer generator is installed here to run side by side.
# Usage: Benchmarks/phantom/run.sh [RUNS]   (set CORES=0,1 to choose the cores; needs taskset)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"; CORES="${CORES:-0,1}"
swift build -c release --product openbct >/dev/null
BIN=.build/release/openbct
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
measure() {  # label, extra args...
  local label="$1"; shift
  local walls=() cpus=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT/p"
    /usr/bin/time -f "%e %U %S" -o "$OUT/time" taskset -c "$CORES" "$BIN" phantom -o "$OUT/p" --timings "$@" > "$OUT/log"
    read -r wall user sys < "$OUT/time"
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)")
  done
  local sw sc
  sw=$(printf '%s\n' "${walls[@]}" | sort -g); sc=$(printf '%s\n' "${cpus[@]}" | sort -g)
  printf '%-28s wall min %6.2f s  median %6.2f s | cpu min %6.2f s  median %6.2f s\n' "$label" \
    "$(echo "$sw" | head -1)" "$(echo "$sw" | sed -n "$(( (RUNS + 1) / 2 ))p")" \
    "$(echo "$sc" | head -1)" "$(echo "$sc" | sed -n "$(( (RUNS + 1) / 2 ))p")"
  sed -n 's/^timings: /    last run: /p' "$OUT/log"
}
echo "openbct phantom, 512×512×305, cores $CORES, $RUNS runs (machine load: $(cut -d' ' -f1-3 /proc/loadavg))"
measure "generate + NIfTI + truth" --no-dicom
measure "generate + NIfTI + DICOM"
echo "files: $(du -sh "$OUT/p" | cut -f1) in $(find "$OUT/p" -type f | wc -l) files"
