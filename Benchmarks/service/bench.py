#!/usr/bin/env python3
"""Drives a real `openbct serve`: orders + STOW-RS studies in, polls the worklist until each report is
ready; prints analyses per hour (1 and 2 workers) and last-instance-to-report latency. See run.sh."""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STANDIN = os.path.join(ROOT, "Tests/ServiceFixtures/standin-analysis.sh")
MAKE_STUDY = os.path.join(ROOT, "Tests/Python/service_ct_study.py")
QUIET = 2


def multipart(files):
    boundary = uuid.uuid4().hex
    body = b""
    for path in files:
        with open(path, "rb") as f:
            body += f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode() + f.read() + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f'multipart/related; type="application/dicom"; boundary={boundary}'


def run(binary, workers, studies, slices, analysis, seconds):
    folder = tempfile.mkdtemp(prefix="openbct-bench-")
    port = 28000 + workers
    config = {"port": port, "dataDirectory": folder,
              "jobs": {"workersInServer": workers, "studyQuietSeconds": QUIET, "analysisExecutable": analysis,
                       "pollMilliseconds": 200}}
    with open(os.path.join(folder, "openbct.json"), "w") as f:
        json.dump(config, f)
    env = dict(os.environ, OPENBCT_USER_PASSWORD="benchmark-password-1", STANDIN_SECONDS=str(seconds))
    cfg = ["--config", os.path.join(folder, "openbct.json")]
    token = subprocess.run([binary, "serve", *cfg, "--create-user", "tech", "--role", "technologist", "--issue-token"],
                           env=env, check=True, capture_output=True, text=True).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", *cfg], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        payloads = []
        for i in range(studies):
            accession, patient = f"B{i}", f"PB{i}"
            order = {"accessionNumber": accession, "patientID": patient, "patientName": "Bench^Patient",
                     "indications": ["M81.0"], "orderingProviderName": "Dr Bench", "orderingProviderNPI": "1234567893",
                     "orderingProviderTaxonomy": "207RE0101X", "sites": ["spine"], "ctContraindicationsScreened": True,
                     "priorDXAReviewed": True, "patientInformed": True}
            requests.post(base + "/orders", json=order, headers=auth, timeout=30).raise_for_status()
            out = os.path.join(folder, "upload", accession)
            subprocess.run([sys.executable, MAKE_STUDY, out, str(slices), accession, patient], check=True, capture_output=True)
            payloads.append((accession, multipart(sorted(os.path.join(out, n) for n in os.listdir(out)))))
        start = time.time()
        last_instance = {}
        for accession, (body, ctype) in payloads:
            r = requests.post(base + "/dicomweb/studies", data=body, headers={**auth, "Content-Type": ctype}, timeout=120)
            r.raise_for_status()
            last_instance[accession] = time.time()
        ready = {}
        while len(ready) < studies and time.time() - start < 3600:
            rows = requests.get(base + "/worklist", headers={**auth, "Accept": "application/json"}, timeout=30).json()
            for row in rows:
                if row.get("report_status") == "draft" and row["accession_number"] not in ready:
                    ready[row["accession_number"]] = time.time()
            time.sleep(0.2)
        end = max(ready.values())
        latencies = [ready[a] - last_instance[a] for a in ready]
        return studies / (end - start) * 3600, statistics.median(latencies), min(latencies), max(latencies)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def main():
    binary, studies, slices = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    analysis = os.environ.get("OPENBCT_BENCH_ANALYSIS", STANDIN)
    seconds = int(os.environ.get("STANDIN_SECONDS", "20"))
    label = f"stand-in analysis of {seconds} s" if analysis == STANDIN else analysis
    print(f"service benchmark: {studies} studies × {slices} slices, {label}, study quiet window {QUIET} s")
    results = {}
    for workers in (1, 2):
        per_hour, median, lo, hi = run(binary, workers, studies, slices, analysis, seconds)
        results[workers] = per_hour
        print(f"workers={workers}: {per_hour:.0f} analyses/hour; last STOW instance → report ready: "
              f"median {median:.1f} s (min {lo:.1f}, max {hi:.1f})")
    print(f"scaling 2 vs 1 workers: {results[2] / results[1]:.2f}×")


if __name__ == "__main__":
    main()
