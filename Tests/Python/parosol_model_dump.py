#!/usr/bin/env python3
"""Dump a parosol-py 0.1.26 exact model (parosol_input.h5[.gz]) to raw little-endian files that
OpenBCT's `ParosolModel` loader reads: the peer's own mesh, moduli, fixed dofs and solution.

usage: parosol_model_dump.py INPUT.h5[.gz] OUTDIR

Writes OUTDIR/meta.json and
  cells.i32        lattice cell index i + nx*(j + ny*k) of each element, sorted increasing
  moduli.f32       MPa per element (same order)
  sed.f64          parosol's strain-energy density per element (MPa, same order)
  fixed_node.i32   lattice node index i + (nx+1)*(j + (ny+1)*k) of each fixed dof
  fixed_dof.u8     0 x, 1 y, 2 z
  fixed_value.f64  prescribed displacement (mm)
The element lattice is Image_Data/Image's shape (z, y, x order in the file); the fixed-dof
coordinates are (z, y, x, dof) rows, the mesh coordinates (x, y, z). Each element's cell is
the minimum corner of its eight node coordinates (parosol's own corner order is not assumed).
"""
import gzip, json, os, shutil, sys, tempfile

import h5py
import numpy as np


def open_h5(path, tmp):
    if path.endswith(".gz"):
        plain = os.path.join(tmp, "model.h5")
        with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
        path = plain
    return h5py.File(path, "r")


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        f = open_h5(src, tmp)
        nz, ny, nx = f["Image_Data/Image"].shape
        coords = f["Mesh/Coordinates"][()].astype(np.float64)
        elems = f["Mesh/Elements"][()]
        moduli = f["Mesh/Emoduli"][()].reshape(-1).astype(np.float32)
        sed = f["Solution/SED"][()].reshape(-1).astype(np.float64)
        force = f["Solution/force"][()]
        fixed = f["Image_Data/Fixed_Displacement_Coordinates"][()].astype(np.int64)
        values = f["Image_Data/Fixed_Displacement_Values"][()].astype(np.float64)
        voxel = float(f["Image_Data/Voxelsize"][()])
        nu = float(f["Image_Data/Poisons_ratio"][()])

        corner = coords[elems].min(axis=1)
        ci = np.rint(corner).astype(np.int64)
        assert np.all(np.abs(corner - ci) < 1e-6), "node coordinates are not on the voxel lattice"
        extent = coords[elems].max(axis=1) - corner
        assert np.allclose(extent, 1.0), "elements are not unit cubes in voxel units"
        cells = ci[:, 0] + nx * (ci[:, 1] + ny * ci[:, 2])
        order = np.argsort(cells)
        assert np.all(np.diff(cells[order]) > 0), "two elements share a lattice cell"

        # Fixed_Displacement_Coordinates rows are (z, y, x, dof) with dof 0/1/2 = x/y/z.
        node_index = fixed[:, 2] + (nx + 1) * (fixed[:, 1] + (ny + 1) * fixed[:, 0])
        cells[order].astype("<i4").tofile(os.path.join(out, "cells.i32"))
        moduli[order].astype("<f4").tofile(os.path.join(out, "moduli.f32"))
        sed[order].astype("<f8").tofile(os.path.join(out, "sed.f64"))
        node_index.astype("<i4").tofile(os.path.join(out, "fixed_node.i32"))
        fixed[:, 3].astype(np.uint8).tofile(os.path.join(out, "fixed_dof.u8"))
        values.astype("<f8").tofile(os.path.join(out, "fixed_value.f64"))

        # Parosol's own reaction: the summed nodal force over the dofs it prescribed non-zero.
        loaded = values != 0
        lattice = np.rint(coords).astype(np.int64)
        lat_index = lattice[:, 0] + (nx + 1) * (lattice[:, 1] + (ny + 1) * lattice[:, 2])
        mesh_node = dict(zip(lat_index.tolist(), range(len(lat_index))))
        rows = [mesh_node[int(n)] for n in node_index[loaded]]
        reaction = float(force[rows, fixed[loaded, 3]].sum()) if rows else 0.0
        json.dump({
            "dims": [int(nx), int(ny), int(nz)], "voxel_size": voxel, "poisson_ratio": nu,
            "elements": int(len(cells)), "nodes": int(len(coords)), "fixed_dofs": int(len(values)),
            "prescribed_value_mm": float(values[loaded][0]) if loaded.any() else 0.0,
            "loaded_dof": int(fixed[loaded, 3][0]) if loaded.any() else -1,
            "parosol_reaction_N": reaction,
        }, open(os.path.join(out, "meta.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
