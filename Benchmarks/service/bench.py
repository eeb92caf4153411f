#!/usr/bin/env python3
"""Drives a real `openbct serve` with the real analysis: orders + digital-phantom CT studies in by STOW-RS,
the in-server worker(s) run `openbct analyze`, the worklist is polled until each report is ready for review;
prints analyses per hour (1 and 2 workers) and last-instance-to-report latency. See run.sh."""
import html
import json
import os
import re
import shlex
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
SET_ACCESSION = os.path.join(ROOT, "Tests/Python/service_set_accession.py")
QUIET = 2
# The study: the digital phantom's hip at 1.6 mm pixels and 1.25 mm slices (what PACSEndToEndTests sends: at
# coarser pixels or thicker slices Anatomy misses the right lesser trochanter and the hip is refused).
PHANTOM = os.environ.get("OPENBCT_BENCH_PHANTOM", "--voxel 1.6 --slice-thickness 1.25 --sites hip")
# The analysis: hip only, 3 mm FE elements, 4 load steps (PACSEndToEndTests' options), so that a 2-core machine
# finishes a study in about a minute rather than the ~6 minutes of the quick example's 2 mm, 12-step solve.
ANALYSIS = os.environ.get("OPENBCT_BENCH_ANALYSIS_ARGS", "--voxel 3 --steps 4 --sites hip")
DEADLINE = 4 * 3600


def multipart(files):
    boundary = uuid.uuid4().hex
    body = b""
    for path in files:
        with open(path, "rb") as f:
            body += f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode() + f.read() + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f'multipart/related; type="application/dicom"; boundary={boundary}'


def make_studies(binary, folder, studies):
    """One phantom per study, each its own patient: seed (noise, texture), age (bone density) and sex differ."""
    payloads = []
    for i in range(studies):
        out = os.path.join(folder, f"phantom-{i}")
        subprocess.run([binary, "phantom", "-o", out, "--seed", str(i + 1), "--age", str(55 + 7 * (i % 5)),
                        "--sex", "FM"[i % 2], *shlex.split(PHANTOM)], check=True, capture_output=True)
        series = os.path.join(out, "dicom")
        accession, patient = f"B{i}", f"PB{i}"
        subprocess.run([sys.executable, SET_ACCESSION, series, accession, patient], check=True, capture_output=True)
        files = sorted(os.path.join(series, n) for n in os.listdir(series))
        payloads.append((accession, patient, len(files), multipart(files)))
    return payloads


def create_user(binary, cfg, env, name, role):
    return subprocess.run([binary, "serve", *cfg, "--create-user", name, "--role", role, "--issue-token"],
                          env=env, check=True, capture_output=True, text=True).stdout.strip()


def run(binary, workers, payloads):
    folder = tempfile.mkdtemp(prefix="openbct-bench-")
    port = 28000 + workers
    config = {"port": port, "dataDirectory": folder,
              "jobs": {"workersInServer": workers, "studyQuietSeconds": QUIET, "pollMilliseconds": 200,
                       "analysisArguments": shlex.split(ANALYSIS)}}
    with open(os.path.join(folder, "openbct.json"), "w") as f:
        json.dump(config, f)
    env = dict(os.environ, OPENBCT_USER_PASSWORD="benchmark-password-1")
    cfg = ["--config", os.path.join(folder, "openbct.json")]
    tech = {"Authorization": f"Bearer {create_user(binary, cfg, env, 'tech', 'technologist')}"}
    doc = {"Authorization": f"Bearer {create_user(binary, cfg, env, 'doc', 'physician')}"}
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", *cfg], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        for accession, patient, _, _ in payloads:
            order = {"accessionNumber": accession, "patientID": patient, "patientName": "Bench^Patient",
                     "indications": ["M81.0"], "orderingProviderName": "Dr Bench", "orderingProviderNPI": "1234567893",
                     "orderingProviderTaxonomy": "207RE0101X", "sites": ["hip"], "ctContraindicationsScreened": True,
                     "priorDXAReviewed": True, "patientInformed": True}
            requests.post(base + "/orders", json=order, headers=tech, timeout=30).raise_for_status()
        start = time.time()
        last_instance = {}
        for accession, _, _, (body, ctype) in payloads:
            r = requests.post(base + "/dicomweb/studies", data=body, headers={**tech, "Content-Type": ctype}, timeout=600)
            r.raise_for_status()
            last_instance[accession] = time.time()
        ready, jobs = {}, {}
        while len(ready) < len(payloads):
            if time.time() - start > DEADLINE:
                sys.exit(f"workers={workers}: {len(ready)} of {len(payloads)} reports ready after {DEADLINE} s")
            rows = requests.get(base + "/worklist", headers={**tech, "Accept": "application/json"}, timeout=30).json()
            for row in rows:
                accession = row["accession_number"]
                if row.get("job_status") == "failed":
                    page = requests.get(f"{base}/cases/{row['job_id']}", headers=doc, timeout=30).text
                    error = re.search(r'<dd class="error">(.*?)</dd>', page, re.S)
                    sys.exit(f"workers={workers}: the analysis of {accession} failed: {html.unescape(error.group(1)) if error else '?'}")
                if row.get("report_status") == "draft" and accession not in ready:
                    ready[accession], jobs[accession] = time.time(), row["job_id"]
            time.sleep(0.5)
        end = max(ready.values())
        # Every report rests on a real analysis with a femoral strength from the FE solve (a "partial" one
        # omitted a site, e.g. a femur whose solve did not converge: counted and its omissions printed).
        analysis_seconds, statuses, omissions = [], {}, []
        for accession, job in jobs.items():
            result = requests.get(f"{base}/api/cases/{job}/result.json", headers=doc, timeout=30).json()
            if result.get("status") not in ("completed", "partial") or not result.get("strength"):
                sys.exit(f"workers={workers}: {accession}: analysis {result.get('status')}, omissions {result.get('omissions')}")
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
            omissions += [f"{accession}: {o.get('part')}: {o.get('reason')}" for o in result.get("omissions", [])]
            analysis_seconds.append(next(t["seconds"] for t in result["timings"] if t["stage"] == "total"))
        latencies = [ready[a] - last_instance[a] for a in ready]
        return {"per_hour": len(payloads) / (end - start) * 3600, "makespan": end - start,
                "latency": (statistics.median(latencies), min(latencies), max(latencies)),
                "analysis": (statistics.median(analysis_seconds), min(analysis_seconds), max(analysis_seconds)),
                "statuses": statuses, "omissions": omissions}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def main():
    binary, studies = sys.argv[1], int(sys.argv[2])
    scratch = tempfile.mkdtemp(prefix="openbct-bench-studies-")
    try:
        t = time.time()
        payloads = make_studies(binary, scratch, studies)
        slices = payloads[0][2]
        megabytes = sum(len(p[3][0]) for p in payloads) / studies / 1e6
        print(f"service benchmark: {studies} phantom studies ({slices} slices, {megabytes:.1f} MB each; `openbct phantom "
              f"{PHANTOM}`, made in {time.time() - t:.0f} s), real `openbct analyze {ANALYSIS}`, study quiet window {QUIET} s, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        results = {}
        for workers in (1, 2):
            r = run(binary, workers, payloads)
            results[workers] = r["per_hour"]
            print(f"workers={workers}: {r['per_hour']:.1f} analyses/hour ({studies} in {r['makespan']:.0f} s); "
                  "last STOW instance → report ready: median {:.1f} s (min {:.1f}, max {:.1f}); ".format(*r["latency"])
                  + "analysis alone (result.json's total): median {:.1f} s (min {:.1f}, max {:.1f}); ".format(*r["analysis"])
                  + f"documents {r['statuses']}; load average {os.getloadavg()[0]:.1f}")
            for line in r["omissions"]:
                print(f"  omitted: {line}")
        print(f"scaling 2 vs 1 workers: {results[2] / results[1]:.2f}×")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
