// FE: voxel finite-element models, materials, boundary conditions and solvers.
