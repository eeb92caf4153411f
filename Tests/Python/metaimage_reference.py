#!/usr/bin/env python3
"""MetaImage reference files and an independent reader, written from the MetaIO specification
(https://itk.org/Wiki/ITK/MetaIO/Documentation) with numpy only (SimpleITK is not installed here).

  make DIR            -> writes .mha/.mhd test images into DIR (NAME.bin = values as float64,
                         i fastest) and prints a JSON list of their expected geometry.
  parse FILE OUT.bin  -> reads FILE with this script's own parser; prints JSON geometry, writes values.

Geometry is ITK's: LPS, TransformMatrix = the direction vector of each voxel axis in turn.
"""
import json
import os
import sys
import zlib

import numpy as np

TYPES = {"MET_UCHAR": "u1", "MET_CHAR": "i1", "MET_SHORT": "i2", "MET_USHORT": "u2", "MET_INT": "i4",
         "MET_UINT": "u4", "MET_FLOAT": "f4", "MET_DOUBLE": "f8"}


def rotation(angles):
    cz, sz = np.cos(angles[0]), np.sin(angles[0])
    cx, sx = np.cos(angles[1]), np.sin(angles[1])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    return rz @ rx


def fmt(values):
    return " ".join(repr(float(v)) for v in values)


def write(folder, name, data, type_name, direction, spacing, origin, *, ext="mha", msb=False,
          compressed=False, header_size=0, newline="\n", synonyms=False):
    """data is indexed [i, j, k]; written i fastest."""
    ndims = data.ndim
    dtype = np.dtype(TYPES[type_name]).newbyteorder(">" if msb else "<")
    payload = data.astype(dtype).tobytes(order="F")
    if compressed:
        payload = zlib.compress(payload, 6)
    data_file = "LOCAL" if ext == "mha" else f"{name}.{'zraw' if compressed else 'raw'}"
    lines = ["ObjectType = Image", f"NDims = {ndims}", "BinaryData = True",
             f"{'ElementByteOrderMSB' if synonyms else 'BinaryDataByteOrderMSB'} = {'True' if msb else 'False'}",
             f"CompressedData = {'True' if compressed else 'False'}"]
    if compressed:
        lines.append(f"CompressedDataSize = {len(payload)}")
    lines += [f"{'Orientation' if synonyms else 'TransformMatrix'} = {fmt(np.asarray(direction).T.reshape(-1))}",
              f"{'Origin' if synonyms else 'Offset'} = {fmt(origin)}",
              f"ElementSpacing = {fmt(spacing)}",
              f"DimSize = {' '.join(str(s) for s in data.shape)}"]
    if header_size:
        lines.append(f"HeaderSize = {header_size}")
    lines += [f"ElementType = {type_name}", f"ElementDataFile = {data_file}"]
    header = newline.join(lines) + newline
    path = os.path.join(folder, f"{name}.{ext}")
    with open(path, "wb") as fh:
        fh.write(header.encode())
        if ext == "mha":
            fh.write(payload)
    if ext == "mhd":
        with open(os.path.join(folder, data_file), "wb") as fh:
            fh.write(b"\x00" * header_size + payload)
    data.astype(dtype).astype("<f8").reshape(-1, order="F").tofile(os.path.join(folder, f"{name}.bin"))
    pad = 3 - ndims
    d = np.eye(3)
    d[:ndims, :ndims] = np.asarray(direction)
    return {"name": name, "file": path, "dims": list(data.shape) + [1] * pad,
            "spacing": list(map(float, spacing)) + [1.0] * pad, "origin": list(map(float, origin)) + [0.0] * pad,
            "direction": d.T.tolist()}  # list of columns (axis directions)


def make(folder):
    rng = np.random.default_rng(7)
    r = rotation((0.4, -0.3))
    cases = [
        write(folder, "int16_oblique", rng.integers(-1024, 3000, (7, 5, 4)), "MET_SHORT", r,
              (0.7, 0.8, 2.5), (-120.5, 30.25, 800.0)),
        write(folder, "float32_msb_headersize", rng.normal(0, 100, (6, 5, 3)), "MET_FLOAT", r.T,
              (1.0, 1.5, 3.0), (1.0, 2.0, 3.0), ext="mhd", msb=True, header_size=16),
        write(folder, "uint8_zraw", rng.integers(0, 255, (9, 8, 7)), "MET_UCHAR", np.eye(3),
              (0.5, 0.5, 0.5), (0, 0, 0), ext="mhd", compressed=True),
        write(folder, "uint16_local_compressed_crlf", rng.integers(0, 65535, (5, 6, 7)), "MET_USHORT",
              -np.eye(3), (2.0, 2.0, 2.0), (10.0, -10.0, 5.0), compressed=True, newline="\r\n", synonyms=True),
        write(folder, "float64_2d", rng.normal(0, 1, (9, 4)), "MET_DOUBLE", [[0, 1], [1, 0]], (0.3, 0.6), (5.0, 6.0)),
        write(folder, "int8", rng.integers(-128, 127, (4, 3, 2)), "MET_CHAR", np.eye(3), (1, 1, 1), (0, 0, 0)),
        write(folder, "uint32", rng.integers(0, 2**32 - 1, (4, 3, 2)), "MET_UINT", np.eye(3), (1, 1, 1), (0, 0, 0)),
        write(folder, "int32", rng.integers(-2**31, 2**31 - 1, (4, 3, 2)), "MET_INT", np.eye(3), (1, 1, 1), (0, 0, 0)),
    ]
    print(json.dumps(cases))


def parse(path, out_bin):
    with open(path, "rb") as fh:
        raw = fh.read()
    fields, pos = {}, 0
    while True:
        end = raw.index(b"\n", pos)
        key, _, value = raw[pos:end].decode().strip().partition("=")
        fields[key.strip()] = value.strip()
        pos = end + 1
        if key.strip() == "ElementDataFile":
            break
    ndims = int(fields["NDims"])
    dims = [int(v) for v in fields["DimSize"].split()]
    dtype = np.dtype(TYPES[fields["ElementType"]]).newbyteorder(
        ">" if fields.get("BinaryDataByteOrderMSB", "False") == "True" else "<")
    if fields["ElementDataFile"] == "LOCAL":
        payload = raw[pos:]
    else:
        with open(os.path.join(os.path.dirname(path), fields["ElementDataFile"]), "rb") as fh:
            payload = fh.read()
    if fields.get("CompressedData", "False") == "True":
        assert int(fields["CompressedDataSize"]) == len(payload), "CompressedDataSize disagrees with the data"
        payload = zlib.decompress(payload)
    data = np.frombuffer(payload, dtype=dtype)
    assert data.size == int(np.prod(dims)), f"{data.size} voxels for DimSize {dims}"
    data.astype("<f8").tofile(out_bin)
    m = [float(v) for v in fields["TransformMatrix"].split()]
    print(json.dumps({"file": path, "dims": dims, "type": fields["ElementType"],
                      "spacing": [float(v) for v in fields["ElementSpacing"].split()],
                      "origin": [float(v) for v in fields["Offset"].split()],
                      "direction": [m[i * ndims:(i + 1) * ndims] for i in range(ndims)],
                      "orientation": fields.get("AnatomicalOrientation"), "keys": list(fields)}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "parse":
        parse(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
