#!/usr/bin/env bash
# The Newton equilibrium criterion against a tight reference (docs/benchmarks.md, FE solver, h/fe-conv9): runs
# femur_strength.swift (built once) on each model for each configuration and keeps every output in OUTDIR
# (MODEL.CONFIG.txt: strength, counts, CPU seconds, the curve); Benchmarks/fe/convergence_table.py then
# compares each curve with the model's reference. Runs already in OUTDIR are skipped (re-runnable, resumable).
# usage: Benchmarks/fe/convergence.sh OUTDIR [MODEL…]   (default: every model below)
#   models: phantom-left phantom-right (1.5 mm, prepared by Benchmarks/fe/phantom-femur.sh in $PHANTOM_WORK,
#   default /tmp/openbct-phantom-femur), femur-1.5 femur-1 (fe-reference femur_left_mini), l4-1.5 (vertebra_l4_mini)
#   CONFIGS="name=ENV… ;…" replaces the configurations (ENV: OPENBCT_FE_* settings of femur_strength.swift).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: convergence.sh OUTDIR [MODEL…]}; shift
MODELS=${*:-phantom-left phantom-right femur-1.5 l4-1.5 femur-1}
PHANTOM=${PHANTOM_WORK:-/tmp/openbct-phantom-femur} REF=../shared/data/fe-reference
# Reference: 10⁻⁵ on two increment paths (first increment 1/40 and 1/60 of the limit, growth capped at
# that size, up to 40 Newton per increment). Candidates: analyze's path (first increment 1/12 on the
# phantom, the fixture's 1/10) with the criterion alone changed.
DEFAULT_CONFIGS="ref-a=OPENBCT_FE_CONVERGENCE=l2:1e-5 OPENBCT_FE_STEPS=40 OPENBCT_FE_MAX_INCREMENT=0.025 OPENBCT_FE_MAX_NEWTON=40 OPENBCT_FE_MIN_INCREMENT=1e-4;\
ref-b=OPENBCT_FE_CONVERGENCE=l2:1e-5 OPENBCT_FE_STEPS=60 OPENBCT_FE_MAX_INCREMENT=0.0167 OPENBCT_FE_MAX_NEWTON=40 OPENBCT_FE_MIN_INCREMENT=1e-4;\
l2-1e-3=OPENBCT_FE_CONVERGENCE=l2:1e-3;l2-2e-3=OPENBCT_FE_CONVERGENCE=l2:2e-3;l2-5e-3=OPENBCT_FE_CONVERGENCE=l2:5e-3;\
l2-1e-2=OPENBCT_FE_CONVERGENCE=l2:1e-2;ccx=OPENBCT_FE_CONVERGENCE=ccx;force-1e-4=OPENBCT_FE_CONVERGENCE=force:1e-4:1e-2"
CONFIGS=${CONFIGS:-$DEFAULT_CONFIGS}
swift build -c release --target FE >/dev/null
swift build -c release --target ImageFormats >/dev/null
B=.build/release BIN=$(mktemp -d); trap 'rm -rf "$BIN"' EXIT
swiftc -O -target-cpu haswell Benchmarks/fe/femur_strength.swift -I $B/Modules -I Sources/CZlib \
  $B/OpenBCTCore.build/*.o $B/FE.build/*.o $B/ImageFormats.build/*.o -lz -o "$BIN/femur_strength" >"$BIN/swiftc.log" 2>&1 || { cat "$BIN/swiftc.log"; exit 1; }
mkdir -p "$OUT"
for model in $MODELS; do
  case $model in
    phantom-left) args="1.5 $PHANTOM/femur-left" ;;
    phantom-right) args="1.5 $PHANTOM/femur-right" ;;
    femur-1.5) args="1.5 $REF/femur_left_mini" ;;
    femur-1) args="1 $REF/femur_left_mini" ;;
    l4-1.5) args="1.5 $REF/vertebra_l4_mini" ;;
    *) echo "error: unknown model '$model'" >&2; exit 2 ;;
  esac
  IFS=';' read -ra configs <<<"$CONFIGS"
  for config in "${configs[@]}"; do
    name=${config%%=*} settings=${config#*=}
    file=$OUT/$model.$name.txt
    [ -s "$file" ] && continue
    echo "$(date -u +%H:%M:%S) $model $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086
    if env $settings "$BIN/femur_strength" $args >"$file.tmp" 2>&1; then mv "$file.tmp" "$file"
    else echo "  failed: $(tail -1 "$file.tmp")"; mv "$file.tmp" "$file.failed"; fi
  done
done
