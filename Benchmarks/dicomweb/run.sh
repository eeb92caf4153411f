#!/usr/bin/env bash
# DICOMweb throughput on a real CT series (../shared/data/phantom/qrm-thorax: 47 slices, 24.8 MB)
# against a local Orthanc (scripts/orthanc-test.sh): openbct's STOW-RS client vs curl posting the
# same multipart body vs dcmtk storescu (DIMSE C-STORE); openbct's WADO-RS pull (QIDO + WADO per
# series, files written) vs one curl GET of the study. curl gets `Expect:` (no 100-continue wait,
# which alone costs it 1 s against Orthanc; openbct sends none either). Best of N runs each; the store is emptied
# between runs. Prints MB/s and openbct/reference ratios. Usage: Benchmarks/dicomweb/run.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
series=../shared/data/phantom/qrm-thorax/series
study=1.2.392.200036.9116.2.6.1.3268.2051117512.1455183481.419226
swift build -c release --product openbct >/dev/null
bin=.build/release/openbct
work=$(mktemp -d)
export ORTHANC_DIR="$work/orthanc" ORTHANC_HTTP_PORT=${ORTHANC_HTTP_PORT:-18142} ORTHANC_DICOM_PORT=${ORTHANC_DICOM_PORT:-14142}
export ORTHANC_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
trap 'scripts/orthanc-test.sh stop >/dev/null 2>&1; rm -rf "$work"' EXIT
scripts/orthanc-test.sh start >/dev/null
base="http://127.0.0.1:$ORTHANC_HTTP_PORT"
auth="openbct:$ORTHANC_PASSWORD"
export OPENBCT_DICOMWEB_PASSWORD=$ORTHANC_PASSWORD
mb=$(du -cb "$series"/* | tail -1 | awk '{print $1/1e6}')
echo "series: $(ls "$series" | wc -l) files, $mb MB; Orthanc 1.10 on loopback; $(nproc) cores (shared machine: timings are noisy)"

python3 - "$series" "$work/body" <<'PY'
import os, sys
d, out = sys.argv[1], sys.argv[2]
with open(out, "wb") as f:
    for name in sorted(os.listdir(d)):
        f.write(b"--BENCH\r\nContent-Type: application/dicom\r\n\r\n" + open(os.path.join(d, name), "rb").read() + b"\r\n")
    f.write(b"--BENCH--\r\n")
PY

empty() { for id in $(curl -fsS -u "$auth" "$base/studies" | python3 -c "import json,sys; print(' '.join(json.load(sys.stdin)))"); do curl -fsS -u "$auth" -X DELETE "$base/studies/$id" >/dev/null; done; }
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
seconds() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; python3 -c "import time; print(time.time() - $s)"; }

stow=(); curl_stow=(); dimse=(); pull=(); curl_wado=()
for i in $(seq "$runs"); do
  empty; stow+=($(seconds "$bin" dicomweb store --url "$base/dicom-web" --user openbct "$series"))
  empty; curl_stow+=($(seconds curl -fsS -u "$auth" -H 'Expect:' -H 'Content-Type: multipart/related; type="application/dicom"; boundary=BENCH' -H 'Accept: application/dicom+json' --data-binary @"$work/body" "$base/dicom-web/studies"))
  empty; dimse+=($(seconds storescu -aec ORTHANC 127.0.0.1 "$ORTHANC_DICOM_PORT" "$series"/*))
  rm -rf "$work/pull"; pull+=($(seconds "$bin" dicomweb pull --url "$base/dicom-web" --user openbct "$study" --out "$work/pull"))
  curl_wado+=($(seconds curl -fsS -u "$auth" -H 'Accept: multipart/related; type="application/dicom"; transfer-syntax=*' -o "$work/wado" "$base/dicom-web/studies/$study"))
done
[ "$(ls "$work/pull" | wc -l)" = "$(ls "$series" | wc -l)" ] || { echo "error: pull returned $(ls "$work/pull" | wc -l) files"; exit 1; }
python3 - "$mb" "$(best "${stow[@]}")" "$(best "${curl_stow[@]}")" "$(best "${dimse[@]}")" "$(best "${pull[@]}")" "$(best "${curl_wado[@]}")" <<'PY'
import sys
mb, stow, curl_stow, dimse, pull, curl_wado = map(float, sys.argv[1:])
row = lambda name, s: print(f"{name:44s} {s:6.3f} s  {mb / s:7.1f} MB/s")
row("STOW-RS openbct dicomweb store (1 request)", stow)
row("STOW-RS curl, same multipart body", curl_stow)
row("C-STORE dcmtk storescu (1 association)", dimse)
row("WADO-RS openbct dicomweb pull (QIDO+WADO)", pull)
row("WADO-RS curl GET study", curl_wado)
print(f"ratios: STOW openbct/curl {stow / curl_stow:.2f}, STOW openbct/storescu {stow / dimse:.2f}, WADO openbct/curl {pull / curl_wado:.2f} (time; < 1 is faster)")
PY
