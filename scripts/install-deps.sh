#!/usr/bin/env bash
# Installs what OpenBCT's build and tests need on Debian 12: C codec libraries, reference tools
# (dcmtk, gdcm, dcm2niix, dicom3tools, CalculiX, poppler), the PyPI reference decoders, and for the
# service's tests SQLite headers (GRDB), PostgreSQL (started by the tests as `postgres`), Chromium, curl,
# unzip (reads the research export's ZIP).
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  pkg-config zlib1g-dev libopenjp2-7-dev libcharls-dev libjpeg62-turbo-dev libcairo2-dev fonts-dejavu-core \
  dcmtk libgdcm-tools libopenjp2-tools dcm2niix dicom3tools calculix-ccx poppler-utils netpbm \
  orthanc orthanc-dicomweb orthanc-gdcm curl libsqlite3-dev postgresql chromium unzip >/dev/null
# Orthanc is started only by the tests (scripts/orthanc-test.sh); keep the packaged service off.
# PostgreSQL: the tests run their own cluster on a test port, so a packaged one may keep running.
{ $SUDO systemctl disable --now orthanc 2>/dev/null || $SUDO service orthanc stop 2>/dev/null; } >/dev/null || true
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
  pydicom pylibjpeg pylibjpeg-openjpeg pylibjpeg-libjpeg pylibjpeg-rle nibabel numpy h5py highdicom \
  fhir.resources jsonschema requests \
  dicom-anonymizer  # its PS3.15 Table E.1-1 (2026c) checks our de-identification table
