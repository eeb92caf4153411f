#!/usr/bin/env bash
# Ingestion benchmark: a 512×512×N CT series (default N=400), uncompressed and JPEG 2000 lossless, loaded
# into a HU volume by `openbct convert` (release build), dcm2niix and pydicom(+numpy), side by side in the
# same run. Prints the best-of-R wall time, MB/s of stored pixel data (2 bytes/voxel) and peak RSS.
# usage: Benchmarks/ingest/run.sh [N] [REPEATS]     (needs ../shared/data, dcm2niix, gdcmconv, python3+pydicom)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-400}; R=${2:-3}
WORK=${INGEST_WORK:-/tmp/openbct-ingest-$N}
SRC=../shared/data/dicom/one-ct-15-syntaxes/CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm

swift build -c release --product openbct >/dev/null
BIN=$(swift build -c release --show-bin-path)/openbct

if [ ! -f "$WORK/raw.done" ]; then
    rm -rf "$WORK"; mkdir -p "$WORK/raw" "$WORK/j2k"
    python3 Benchmarks/ingest/make_series.py "$SRC" "$WORK/raw" "$N"
    touch "$WORK/raw.done"
fi
if [ ! -f "$WORK/j2k.done" ]; then
    ls "$WORK/raw" | grep '\.dcm$' | xargs -P "$(nproc)" -I{} gdcmconv --j2k "$WORK/raw/{}" "$WORK/j2k/{}"
    touch "$WORK/j2k.done"
fi

MB=$(python3 -c "print(512*512*$N*2/1e6)")
measure() {  # label, command…  → best wall seconds and max RSS over R runs
    local label=$1; shift
    local best=999999 rss=0
    for _ in $(seq "$R"); do
        rm -rf "$WORK/out"; mkdir -p "$WORK/out"
        /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt"; exit 1; }
        read -r wall kb <"$WORK/time.txt"
        best=$(python3 -c "print(min($best, $wall))"); rss=$(( kb > rss ? kb : rss ))
    done
    printf '%-28s %8.2f s %9.1f MB/s  peak RSS %6.0f MB\n' "$label" "$best" "$(python3 -c "print($MB/max($best,0.01))")" "$(python3 -c "print($rss/1024)")"
    echo "$best" >"$WORK/$label.best"
}

echo "ingest: 512×512×$N CT series ($MB MB of 16-bit pixels; Float32 HU volume $(python3 -c "print(512*512*$N*4/1e6)") MB), best of $R, $(nproc) cores"
for kind in raw j2k; do
    echo "-- $kind"
    # Warm the page cache so every tool reads from memory.
    cat "$WORK/$kind"/*.dcm >/dev/null
    measure "openbct-$kind" "$BIN" convert "$WORK/$kind" -o "$WORK/out/ct.nii"
    measure "dcm2niix-$kind" dcm2niix -z n -b n -f ct -o "$WORK/out" "$WORK/$kind"
    measure "pydicom-$kind" python3 Benchmarks/ingest/pydicom_load.py "$WORK/$kind"
    python3 - "$WORK" "$kind" <<'PY'
import sys
w, k = sys.argv[1], sys.argv[2]
t = {tool: float(open(f"{w}/{tool}-{k}.best").read()) for tool in ("openbct", "dcm2niix", "pydicom")}
print(f"   openbct speed vs dcm2niix: {t['dcm2niix'] / t['openbct']:.2f}x, vs pydicom: {t['pydicom'] / t['openbct']:.2f}x (>1 = openbct faster)")
PY
done
