#!/usr/bin/env python3
"""Read a VTK XML file with inline base64 binary arrays (header_type UInt64, as VTK's documentation
specifies) using only xml.etree, base64 and numpy, and print its arrays as JSON.

usage: vtk_xml_read.py FILE.vtu|FILE.vti
stdout: {"attributes": {...root piece/dataset attributes...}, "arrays": {name: [values...]}}
"""
import base64, json, sys
import xml.etree.ElementTree as ET

import numpy as np

TYPES = {"Float32": "<f4", "Float64": "<f8", "Int64": "<i8", "Int32": "<i4", "UInt8": "u1"}
root = ET.parse(sys.argv[1]).getroot()
assert root.get("header_type") == "UInt64" and root.get("byte_order") == "LittleEndian"
dataset = root[0]
attributes = dict(dataset.attrib)
attributes.update({"piece_" + k: v for k, v in dataset[0].attrib.items()})
arrays = {}
for a in root.iter("DataArray"):
    raw = base64.b64decode(a.text.strip())
    size = int(np.frombuffer(raw[:8], "<u8")[0])
    assert size == len(raw) - 8, f"{a.get('Name')}: header says {size} bytes, payload has {len(raw) - 8}"
    arrays[a.get("Name")] = np.frombuffer(raw[8:], TYPES[a.get("type")]).tolist()
print(json.dumps({"attributes": attributes, "arrays": arrays}))
