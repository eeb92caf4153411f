#!/usr/bin/env python3
"""Peer timings for the parser benchmark: pydicom on the same files, same process layout.

usage: pydicom_peer.py REPEATS FILE...  -> JSON {file: {"header_us", "full_us", "pixels_us"}} (best of REPEATS)
  header_us: dcmread(stop_before_pixels=True) and touching every element's value
  full_us:   dcmread of the whole file
  pixels_us: dcmread + pixel_array as float32 * slope + intercept (frame 0)
"""
import json
import sys
import time

import numpy as np
import pydicom


def best(fn, repeats):
    t = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t * 1e6


def header(path):
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    for elem in ds:
        _ = elem.value


def pixels(path):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    if arr.ndim > 2:
        arr = arr[0]
    _ = arr.astype(np.float32) * float(ds.get("RescaleSlope", 1)) + float(ds.get("RescaleIntercept", 0))


repeats = int(sys.argv[1])
result = {}
for path in sys.argv[2:]:
    result[path] = {
        "header_us": best(lambda: header(path), repeats),
        "full_us": best(lambda: pydicom.dcmread(path), repeats),
        "pixels_us": best(lambda: pixels(path), repeats),
    }
json.dump(result, sys.stdout)
