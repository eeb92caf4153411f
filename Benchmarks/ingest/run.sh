#!/usr/bin/env bash
# Ingestion benchmark: a 512×512×N CT series (default N=400), uncompressed and JPEG 2000 lossless, loaded
# into a HU volume by `openbct convert` (release build), dcm2niix and pydicom(+numpy), side by side in the
# same run. Prints the best-of-R wall time, CPU time, MB/s of stored pixel data (2 bytes/voxel) and peak RSS.
# Outputs go to RAM (/dev/shm) so the disk's write-back speed does not dominate: openbct writes a
# Float32 NIfTI (twice the bytes of dcm2niix's int16 one); pydicom only builds the array.
# usage: Benchmarks/ingest/run.sh [N=400] [REPEATS=3] [REPEATS_J2K=1]
#        (needs ../shared/data, dcm2niix, gdcmconv, python3 + pydicom + pylibjpeg-openjpeg)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-400}; R_RAW=${2:-3}; R_J2K=${3:-1}
WORK=${INGEST_WORK:-/tmp/openbct-ingest-$N}
OUT=${INGEST_OUT:-/dev/shm/openbct-ingest-out}
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
measure() {  # label, command…  → best wall seconds (and its CPU seconds) and max RSS over R runs
    local label=$1; shift
    local best=999999 cpu=0 rss=0
    for _ in $(seq "$R"); do
        rm -rf "$OUT"; mkdir -p "$OUT"
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt"; exit 1; }
        read -r wall user sys kb <"$WORK/time.txt"
        if python3 -c "import sys; sys.exit(0 if $wall < $best else 1)"; then best=$wall; cpu=$(python3 -c "print($user+$sys)"); fi
        rss=$(( kb > rss ? kb : rss ))
    done
    rm -rf "$OUT"
    printf '%-16s %8.2f s wall %7.2f s CPU %9.1f MB/s  peak RSS %6.0f MB\n' "$label" "$best" "$cpu" "$(python3 -c "print($MB/max($best,0.01))")" "$(python3 -c "print($rss/1024)")"
    echo "$best" >"$WORK/$label.best"
}

echo "ingest: 512×512×$N CT series ($MB MB of 16-bit pixels; Float32 HU volume $(python3 -c "print(512*512*$N*4/1e6)") MB), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
for kind in raw j2k; do
    if [ "$kind" = raw ]; then R=$R_RAW; else R=$R_J2K; fi
    echo "-- $kind (best of $R)"
    # Warm the page cache so every tool reads from memory.
    cat "$WORK/$kind"/*.dcm >/dev/null
    measure "openbct-$kind" "$BIN" convert "$WORK/$kind" -o "$OUT/ct.nii"
    measure "dcm2niix-$kind" dcm2niix -z n -b n -f ct -o "$OUT" "$WORK/$kind"
    measure "pydicom-$kind" python3 Benchmarks/ingest/pydicom_load.py "$WORK/$kind"
    python3 - "$WORK" "$kind" <<'PY'
import sys
w, k = sys.argv[1], sys.argv[2]
t = {tool: float(open(f"{w}/{tool}-{k}.best").read()) for tool in ("openbct", "dcm2niix", "pydicom")}
print(f"   openbct speed vs dcm2niix: {t['dcm2niix'] / t['openbct']:.2f}x, vs pydicom: {t['pydicom'] / t['openbct']:.2f}x (>1 = openbct faster)")
PY
done
