"""Validates an OpenBCT result document against schemas/result-document-1.schema.json (jsonschema,
Draft 2020-12) and checks every figure file's SHA-256 and size against the document (hashlib).
Usage: result_document_check.py SCHEMA DOCUMENT. Prints "ok N figures" or the errors; exit 1 on error."""
import hashlib
import json
import os
import sys

import jsonschema

schema_path, doc_path = sys.argv[1], sys.argv[2]
schema = json.load(open(schema_path))
doc = json.load(open(doc_path))
jsonschema.Draft202012Validator.check_schema(schema)
errors = sorted(jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(doc), key=str)
problems = [f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
folder = os.path.dirname(os.path.abspath(doc_path))
for f in doc.get("figures", []):
    path = os.path.join(folder, f["file"])
    if not os.path.exists(path):
        problems.append(f"figure {f['id']}: {f['file']} missing")
        continue
    data = open(path, "rb").read()
    if hashlib.sha256(data).hexdigest() != f["sha256"] or len(data) != f["bytes"]:
        problems.append(f"figure {f['id']}: hash or size differs from the document")
    if f["mediaType"] == "image/png":
        import struct, zlib
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f["file"]
        w, h = struct.unpack(">II", data[16:24])
        if (w, h) != (f.get("width"), f.get("height")):
            problems.append(f"figure {f['id']}: PNG is {w}x{h}, document says {f.get('width')}x{f.get('height')}")
        # Decode every chunk with its CRC and inflate IDAT: a broken PNG fails here.
        pos, idat = 8, b""
        while pos < len(data):
            n, = struct.unpack(">I", data[pos:pos + 4]); kind = data[pos + 4:pos + 8]; body = data[pos + 8:pos + 8 + n]
            crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
            if zlib.crc32(kind + body) != crc:
                problems.append(f"figure {f['id']}: bad CRC in {kind}")
            if kind == b"IDAT":
                idat += body
            pos += 12 + n
        channels = 1 if data[25] == 0 else 3
        if len(zlib.decompress(idat)) != h * (w * channels + 1):
            problems.append(f"figure {f['id']}: IDAT size wrong")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ok {len(doc.get('figures', []))} figures")
