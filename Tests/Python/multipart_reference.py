"""Reference multipart/related parser (Python's email package) for the DICOMweb tests.

usage: multipart_reference.py CONTENT_TYPE BODY_FILE OUT_DIR
writes each part's decoded bytes to OUT_DIR/part-<n> (n from 1) and prints one line per part:
"<content-type> <length>"
"""
import email
import email.policy
import os
import sys

content_type, path, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
body = open(path, "rb").read()
message = email.message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body,
                                   policy=email.policy.HTTP)
if not message.is_multipart():
    sys.exit("not parsed as multipart")
for n, part in enumerate(message.iter_parts(), start=1):
    payload = part.get_payload(decode=True)
    with open(os.path.join(out_dir, f"part-{n}"), "wb") as f:
        f.write(payload)
    print(part.get_content_type(), len(payload))
