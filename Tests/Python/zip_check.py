#!/usr/bin/env python3
"""Reads a ZIP archive with Python's zipfile (an implementation OpenBCT did not write): checks every
entry's CRC-32, extracts the archive into OUTDIR and prints JSON {"entries": [names], "zip64": bool}
(zip64: the archive ends with a Zip64 end-of-central-directory locator).

usage: zip_check.py ARCHIVE OUTDIR
"""
import json
import os
import sys
import zipfile


def main():
    archive, out = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(archive) as z:
        bad = z.testzip()
        if bad is not None:
            sys.exit(f"CRC mismatch in {bad}")
        z.extractall(out)
        names = z.namelist()
    with open(archive, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(f.tell() - 22 - 20, 0))
        tail = f.read()
    print(json.dumps({"entries": names, "zip64": tail[:4] == b"PK\x06\x07"}))


if __name__ == "__main__":
    main()
