"""Geometry and density of a proximal femur from a calibrated density image and its label map.

usage: femur_geometry.py DENSITY LABELS LABEL[,LABEL...] [--hu-line A,B] [--below MM]
DENSITY is K2HPO4-equivalent mg/cm³, or HU with --hu-line A,B (HU = A + B·ρ) to convert it. The same
measures on any femur (the real `fe-reference/femur_left_mini`, a digital phantom's calibrated HU) make
the two comparable; they are measured on the image as a CT shows it (blur included), not on a truth map.
Prints JSON:
- head: centre (largest inscribed sphere, refined by a sphere fit to the head surface) and radius;
- neck: the minimum-area cross-section of the neck (planes searched over direction and distance from the
  head centre; the component around the plane's centre): area, widths, cortical area and thickness
  (ρ ≥ 350 mg/cm³ runs along 36 rays; inferior and superior quarters), trabecular mean (≥ 3 mm inside),
  mineral per mm, bending rigidity EI with the Morgan 2003 femur modulus (methods.md §6, §10);
  neck-axis length through the head (head apex to lateral cortex);
- shaft: axial sections BELOW − 10 and BELOW mm below the head centre (default 68: the real femur_left_mini
  ends ~73 mm below its head centre), same measures;
- segment: the femur from its top to BELOW mm below the head centre: volume, mineral, density percentiles,
  interior (≥ 3 mm deep) and head-core (≤ 0.6 R) trabecular means.
Everything is measured in mm; the femur's superior direction is the image's +z (RAS or LPS alike).
"""
import json
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

CORTICAL = 350.0   # mg/cm³ K2HPO4: the cortical threshold of QCT hip analyses [U]
INTERIOR = 3.0     # mm: trabecular samples lie this far inside the periosteal boundary


def morgan_modulus(rho_k):
    """Morgan 2003 femur law on apparent density from K2HPO4 (methods.md §10), MPa."""
    rho_app = np.maximum((1.06 * rho_k + 38.9) / 1000.0 / 0.6, 1e-6)
    return np.where(rho_app <= 0.28, 15010 * rho_app ** 2.18, 6850 * rho_app ** 1.49)


class Femur:
    def __init__(self, density_path, labels_path, labels, hu_line=None):
        img = nib.load(density_path)
        self.affine = img.affine
        self.inverse = np.linalg.inv(self.affine)
        self.spacing = np.sqrt((self.affine[:3, :3] ** 2).sum(axis=0))
        rho = np.asarray(img.dataobj, dtype=np.float64)
        if hu_line:
            rho = (rho - hu_line[0]) / hu_line[1]
        lab = np.asarray(nib.load(labels_path).dataobj).astype(np.int64)
        mask = np.isin(lab, labels)
        # Crop to the femur's box (+ 4 voxels) so a whole-body CT costs what a femur does.
        idx = np.argwhere(mask)
        lo, hi = np.maximum(idx.min(axis=0) - 4, 0), np.minimum(idx.max(axis=0) + 5, mask.shape)
        box = tuple(slice(a, b) for a, b in zip(lo, hi))
        self.affine = self.affine.copy()
        self.affine[:3, 3] = self.affine[:3, :3] @ lo + self.affine[:3, 3]
        self.inverse = np.linalg.inv(self.affine)
        self.rho = rho[box]
        self.mask = ndimage.binary_fill_holes(mask[box])
        self.maskf = self.mask.astype(np.float32)
        self.up = np.sign(self.affine[2, 2]) if abs(self.affine[2, 2]) > 0 else 1.0

    def physical(self, idx):
        return idx @ self.affine[:3, :3].T + self.affine[:3, 3]

    def sample(self, points, volume, order):
        idx = points @ self.inverse[:3, :3].T + self.inverse[:3, 3]
        return ndimage.map_coordinates(volume, idx.T, order=order, mode="constant", cval=0.0)

    def head(self):
        depth = ndimage.distance_transform_edt(self.mask, sampling=self.spacing)
        idx = np.argwhere(self.mask)
        z = self.physical(idx.astype(float))[:, 2]
        upper = z > np.median(z)
        best = idx[upper][np.argmax(depth[tuple(idx[upper].T)])]
        c = self.physical(best.astype(float))
        r = float(depth[tuple(best)])
        # Refine: sphere fit to the surface points near the inscribed sphere.
        surface = self.mask & ~ndimage.binary_erosion(self.mask)
        pts = self.physical(np.argwhere(surface).astype(float))
        d = np.linalg.norm(pts - c, axis=1)
        near = pts[d < r + 3]
        a = np.c_[2 * near, np.ones(len(near))]
        sol, *_ = np.linalg.lstsq(a, (near ** 2).sum(axis=1), rcond=None)
        centre = sol[:3]
        radius = float(np.sqrt(sol[3] + centre @ centre))
        if np.linalg.norm(centre - c) > 5 or abs(radius - r) > 5:   # fit caught the neck: keep the inscribed sphere
            centre, radius = c, r
        self.depth = depth
        return centre, radius

    @staticmethod
    def basis(normal, up):
        u = up - normal * (up @ normal)
        if np.linalg.norm(u) < 1e-6:
            u = np.cross(normal, [1.0, 0, 0])
        u /= np.linalg.norm(u)
        return u, np.cross(normal, u)

    def section(self, point, normal, half=40.0, step=0.8, measure=False):
        """The mask component of the plane through `point` (normal `normal`) that holds the point."""
        u, v = self.basis(normal, np.array([0, 0, self.up]))
        g = np.arange(-half, half + step / 2, step)
        uu, vv = np.meshgrid(g, g, indexing="ij")
        pts = point + uu.reshape(-1, 1) * u + vv.reshape(-1, 1) * v
        inside = self.sample(pts, self.maskf, 1).reshape(uu.shape) >= 0.5
        comps, n = ndimage.label(inside)
        if n == 0:
            return None
        which = comps[len(g) // 2, len(g) // 2]
        if which == 0:   # the plane's centre (on the searched axis) must lie in the bone
            return None
        part = comps == which
        area = part.sum() * step * step
        if not measure:
            return area
        rho = self.sample(pts, self.rho, 1).reshape(uu.shape)
        return self.measure(part, rho, uu, vv, step)

    @staticmethod
    def measure(part, rho, uu, vv, step):
        da = step * step
        cu, cv = uu[part].mean(), vv[part].mean()
        cov = np.cov(np.c_[uu[part] - cu, vv[part] - cv].T)
        ev, evec = np.linalg.eigh(cov)
        inner = ndimage.distance_transform_edt(part) * step
        r = np.clip(rho, 0, None)
        e = morgan_modulus(r)
        # Bending rigidity about the modulus-weighted centroid, principal axes.
        w = e[part] * da
        eu, ev_ = (uu[part] * w).sum() / w.sum(), (vv[part] * w).sum() / w.sum()
        q = np.c_[uu[part] - eu, vv[part] - ev_]
        inertia = (q.T * w) @ q
        ei = np.linalg.eigvalsh(inertia)
        # Cortical thickness: along 36 rays from the centroid, the run of ρ ≥ CORTICAL inward from the edge.
        thick = []
        for ang in np.radians(np.arange(0, 360, 10)):
            s = np.arange(0, 60, step / 2)
            pu, pv = cu + s * np.cos(ang), cv + s * np.sin(ang)
            iu = np.round((pu - uu[0, 0]) / step).astype(int)
            iv = np.round((pv - vv[0, 0]) / step).astype(int)
            ok = (iu >= 0) & (iu < part.shape[0]) & (iv >= 0) & (iv < part.shape[1])
            iu, iv, s = iu[ok], iv[ok], s[ok]
            on = part[iu, iv]
            if not on.any():
                thick.append(np.nan); continue
            last = np.nonzero(on)[0].max()
            run = 0
            for k in range(last, -1, -1):
                if rho[iu[k], iv[k]] >= CORTICAL:
                    run += 1
                elif run > 0:
                    break
            thick.append(run * step / 2)
        thick = np.array(thick)
        # Angle 0 = +u = the superior direction projected onto the plane.
        sup = np.nanmedian(np.r_[thick[-4:], thick[:5]])
        inf = np.nanmedian(thick[14:23])
        trab = part & (inner >= INTERIOR)
        cortical = part & (rho >= CORTICAL)
        return {
            "area_mm2": float(part.sum() * da),
            "widths_mm": [float(4 * np.sqrt(ev[1])), float(4 * np.sqrt(ev[0]))],
            "corticalArea_mm2": float(cortical.sum() * da),
            "corticalThicknessMedian_mm": float(np.nanmedian(thick)),
            "corticalThicknessSuperior_mm": float(sup),
            "corticalThicknessInferior_mm": float(inf),
            "meanDensity_mgcm3": float(r[part].mean()),
            "trabecularMean_mgcm3": float(r[trab].mean()) if trab.any() else None,
            "mineral_mg_per_mm": float(r[part].sum() * da / 1000.0),
            "EA_N": float(w.sum()),
            "EI_min_Nmm2": float(ei[0]), "EI_max_Nmm2": float(ei[1]),
        }

    def neck(self, centre, radius):
        idx = np.argwhere(self.mask)
        pts = self.physical(idx.astype(float))
        d = np.linalg.norm(pts - centre, axis=1)
        ring = pts[(d > radius + 4) & (d < radius + 20)]
        d0 = ring.mean(axis=0) - centre
        d0 /= np.linalg.norm(d0)

        def directions(axis, spread, step):
            a, b = self.basis(axis, np.array([0, 0, 1.0]))
            out = []
            for t in np.radians(np.arange(-spread, spread + 1e-9, step)):
                for s in np.radians(np.arange(-spread, spread + 1e-9, step)):
                    if t * t + s * s <= np.radians(spread) ** 2 + 1e-12:
                        v = axis + np.tan(t) * a + np.tan(s) * b
                        out.append(v / np.linalg.norm(v))
            return out

        def search(dirs, ts, step):
            best = (np.inf, None, None)
            for n in dirs:
                for t in ts:
                    a = self.section(centre + t * n, n, step=step)
                    if a is not None and a < best[0]:
                        best = (a, n, t)
            return best

        area, n, t = search(directions(d0, 35, 5), np.arange(0.8 * radius, 2.3 * radius, 2.0), 1.0)
        area, n, t = search(directions(n, 5, 1), np.arange(t - 2, t + 2.01, 0.5), 0.5)
        result = self.section(centre + t * n, n, step=0.25, measure=True)
        result["distanceFromHeadCentre_mm"] = float(t)
        result["axis"] = [float(x) for x in n]
        # Neck-axis length: the mask's extent along the axis line through the head centre.
        s = np.arange(-2 * radius, 6 * radius, 0.25)
        on = self.sample(centre + s.reshape(-1, 1) * n, self.maskf, 1) >= 0.5
        lab, _ = ndimage.label(on)
        first = lab[np.argmin(np.abs(s))]
        run = s[lab == first]
        result["neckAxisLength_mm"] = float(run.max() - run.min())
        return result

    def axial(self, centre, below):
        z = centre[2] - below
        k = self.inverse[:3, :3] @ np.array([0, 0, z]) + self.inverse[:3, 3]
        k = int(round(k[2]))
        # The slice's own in-plane grid (exact voxels, no resampling).
        part = self.mask[:, :, k]
        comps, n = ndimage.label(part)
        sizes = ndimage.sum(part, comps, range(1, n + 1))
        part = comps == (1 + int(np.argmax(sizes)))
        ii, jj = np.meshgrid(np.arange(part.shape[0]), np.arange(part.shape[1]), indexing="ij")
        # Resample to a square 0.25 mm grid so measure() sees isotropic samples.
        step = 0.25
        g = np.arange(-45, 45 + step / 2, step)
        uu, vv = np.meshgrid(g, g, indexing="ij")
        c = self.physical(np.array([ii[part].mean(), jj[part].mean(), k], dtype=float))
        pts = c + uu.reshape(-1, 1) * np.array([1.0, 0, 0]) + vv.reshape(-1, 1) * np.array([0, 1.0, 0])
        inside = self.sample(pts, self.maskf, 1).reshape(uu.shape) >= 0.5
        comps, n = ndimage.label(inside)
        sizes = ndimage.sum(inside, comps, range(1, n + 1))
        inside = comps == (1 + int(np.argmax(sizes)))
        rho = self.sample(pts, self.rho, 1).reshape(uu.shape)
        out = self.measure(inside, rho, uu, vv, step)
        out["heightBelowHeadCentre_mm"] = float(below)
        return out

    def segment(self, centre, radius, below):
        idx = np.argwhere(self.mask)
        pts = self.physical(idx.astype(float))
        keep = pts[:, 2] >= centre[2] - below
        rho = np.clip(self.rho[tuple(idx[keep].T)], 0, None)
        depth = self.depth[tuple(idx[keep].T)]
        head = np.linalg.norm(pts[keep] - centre, axis=1) <= 0.6 * radius
        vol = np.prod(self.spacing)
        return {
            "lengthBelowHeadCentre_mm": float(below),
            "extentBelowHeadCentre_mm": float(centre[2] - pts[:, 2].min()),
            "volume_cm3": float(keep.sum() * vol / 1000),
            "mineral_g": float(rho.sum() * vol / 1e6),
            "meanDensity_mgcm3": float(rho.mean()),
            "densityPercentiles_5_25_50_75_95": [float(x) for x in np.percentile(rho, [5, 25, 50, 75, 95])],
            "fractionCortical": float((rho >= CORTICAL).mean()),
            "interiorTrabecularMean_mgcm3": float(rho[depth >= INTERIOR].mean()),
            "headCoreMean_mgcm3": float(rho[head].mean()),
        }


def main(argv):
    labels = [int(x) for x in argv[2].split(",")]
    hu_line = None
    below = 68.0
    if "--hu-line" in argv:
        hu_line = [float(x) for x in argv[argv.index("--hu-line") + 1].split(",")]
    if "--below" in argv:
        below = float(argv[argv.index("--below") + 1])
    f = Femur(argv[0], argv[1], labels, hu_line)
    centre, radius = f.head()
    pts = f.physical(np.argwhere(f.mask).astype(float))
    extent = float(centre[2] - pts[:, 2].min())
    if extent < below + 1:
        sys.exit(f"the femur ends {extent:.1f} mm below the head centre: use --below < {extent - 1:.0f}")
    out = {"head": {"centre_mm": [float(x) for x in centre], "radius_mm": float(radius)},
           "neck": f.neck(centre, radius),
           "shaft": [f.axial(centre, below - 10), f.axial(centre, below)],
           "segment": f.segment(centre, radius, below)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
