#!/usr/bin/env bash
# Where our spine segmentation of the thoracolumbar J2K slab (../shared/data/ct/thoracolumbar-dicom-j2k)
# and TotalSegmentator's labels disagree, per slice: for our lower (↔ T12) and upper (↔ T11) vertebra,
# our voxels the reference gives to other classes (the other vertebra — split into islands inside
# T12's body and the rest —, ribs, organs, background: the one-voxel rim, inside the bodies' axial
# footprint, posterolateral lumps beside the pedicles, elsewhere; median HU in brackets) and reference voxels
# we miss (body / posterior). Then Dice against the plain reference and against the reference with
# its T11 islands inside T12's body given to T12 (docs/validation.md `## Anatomy`), and the ceiling the
# reference allows (itself with the islands given to T12, scored against itself as it is).
# Usage: Benchmarks/anatomy/thoracolumbar-disagreement.sh; OPENBCT=path picks the binary (default: a
# release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/data/ct
bin=${OPENBCT:-}
if [ -z "$bin" ]; then swift build -c release --product openbct >/dev/null; bin=.build/release/openbct; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" convert "$data/thoracolumbar-dicom-j2k/series" -o "$work/ct.nii.gz" >/dev/null 2>&1
"$bin" segment "$data/thoracolumbar-dicom-j2k/series" -o "$work/ours.nii.gz" --sites spine --json > "$work/ours.json" 2>/dev/null
python3 - "$work/ct.nii.gz" "$work/ours.nii.gz" "$work/ours.json" "$data/thoracolumbar-dicom-j2k/segmentation.nii.gz" \
  "$data/totalsegmentator-total-labels.tsv" <<'PY'
import json, sys
import nibabel as nib, numpy as np
from scipy import ndimage as ndi
ctf, oursf, jsonf, reff, tsv = sys.argv[1:]
ct, ours_img, ref_img = nib.load(ctf), nib.load(oursf), nib.load(reff)
hu = np.asarray(ct.dataobj).astype(np.float32)
ours = np.asarray(ours_img.dataobj)
# The reference lies on the CT's lattice with other axis signs: reorder it by the affines.
ref = np.asarray(ref_img.dataobj)
ras = nib.orientations.io_orientation
ref = nib.orientations.apply_orientation(ref, nib.orientations.ornt_transform(ras(ref_img.affine), ras(ct.affine)))
assert ref.shape == hu.shape
names = {int(l.split('\t')[0]): l.split('\t')[1].strip() for l in open(tsv).read().splitlines()[1:] if l.strip()}
ids = {v: k for k, v in names.items()}
T12, T11 = ids['vertebrae_T12'], ids['vertebrae_T11']
ribs = [i for n, i in ids.items() if n.startswith('rib_')]
table = {e['name']: e['value'] for e in json.load(open(jsonf))['labelTable']}
lower = np.isin(ours, [table['vertebra_0_body'], table['vertebra_0_posterior']])
upper = np.isin(ours, [table['vertebra_1_body'], table['vertebra_1_posterior']])
sx, sy, sz = (float(x) for x in ct.header.get_zooms()[:3])
nz = hu.shape[2]

# Islands of T11 inside T12's body: 8-connected T11 parts of a slice whose 2-voxel border is ≥ 40 % T12.
islands = np.zeros(hu.shape, bool)
for k in range(nz):
    lab, n = ndi.label(ref[:, :, k] == T11, np.ones((3, 3)))
    for i in range(1, n + 1):
        m = lab == i
        ring = ndi.binary_dilation(m, iterations=2) & ~m
        if (ring & (ref[:, :, k] == T12)).sum() >= 0.4 * ring.sum():
            islands[:, :, k] |= m
vert = np.isin(ref, [T12, T11])
# Per slice: the reference's rim (one voxel beyond it) and the canal's centre (largest hole ≥ 1 cm²).
near = np.zeros_like(vert); canal = {}
for k in range(nz):
    v = vert[:, :, k]
    near[:, :, k] = ndi.binary_dilation(v)
    closed = ndi.binary_closing(v, iterations=2)
    hole = ndi.binary_fill_holes(closed) & ~closed
    lab, n = ndi.label(hole)
    if n:
        sizes = ndi.sum(hole, lab, range(1, n + 1))
        if sizes.max() * sx * sy >= 100:
            canal[k] = ndi.center_of_mass(hole, lab, int(np.argmax(sizes)) + 1)
def canal_at(k):
    return canal[min(canal, key=lambda c: abs(c - k))] if canal else None
posterior_sign = -np.sign(ct.affine[1, 1])   # +1: j grows toward the patient's back
def behind_canal(k, shape):
    c = canal_at(k)
    j = np.arange(shape[1])[None, :]
    return np.broadcast_to((j - c[1]) * posterior_sign > 0, shape) if c is not None else np.zeros(shape, bool)
# The bodies' axial footprint: every column the reference's vertebrae cover in front of the canal's
# centre in any slice, closed and filled (a disc or an endplate ring lies inside it).
footprint = np.zeros(hu.shape[:2], bool)
for k in range(nz):
    footprint |= vert[:, :, k] & ~behind_canal(k, hu.shape[:2])
footprint = ndi.binary_fill_holes(ndi.binary_closing(footprint, iterations=3))

def rows(o, rid, other, other_ours):
    r = ref == rid
    tot = None
    out = []
    for k in list(range(nz)) + ['all']:
        ks = range(nz) if k == 'all' else [k]
        acc = None
        for kk in ks:
            ok, rk, R, H = o[:, :, kk], r[:, :, kk], ref[:, :, kk], hu[:, :, kk]
            ex = ok & ~rk
            bg = ex & (R == 0)
            rim = bg & near[:, :, kk]
            ins = bg & ~rim & footprint
            rest = bg & ~rim & ~footprint
            # Posterolateral lumps beside the pedicles (the costovertebral joints): parts of `rest`
            # centred > 20 mm from the mid-sagittal line and within 12 mm (AP) of the canal's centre.
            lump = np.zeros_like(rest)
            c = canal_at(kk)
            if c is not None and vert[:, :, kk].any():
                mid = np.median(np.nonzero(vert[:, :, kk])[0])
                lab, n = ndi.label(rest, np.ones((3, 3)))
                for i in range(1, n + 1):
                    m = lab == i
                    ci, cj = ndi.center_of_mass(m)
                    if abs(ci - mid) * sx > 20 and abs(cj - c[1]) * sy <= 12:
                        lump |= m
            rest &= ~lump
            miss = rk & ~ok
            # A missed reference voxel is posterior (elements) when it lies behind the canal's centre.
            behind = behind_canal(kk, miss.shape)
            d = dict(ours=ok.sum(), ref=rk.sum(), both=(ok & rk).sum(),
                     isl=(ex & islands[:, :, kk]).sum(), oth=(ex & (R == other) & ~islands[:, :, kk]).sum(),
                     rib=(ex & np.isin(R, ribs)).sum(), org=(ex & (R != 0) & (R != other) & ~np.isin(R, ribs)).sum(),
                     missB=(miss & ~behind).sum(), missP=(miss & behind).sum(), missO=(miss & other_ours[:, :, kk]).sum())
            hus = dict(ins=H[ins], lump=H[lump], rim=H[rim], rest=H[rest])
            d['insDark'] = (H[ins] < 110).sum()
            if acc is None: acc = (d, {a: [b] for a, b in hus.items()})
            else:
                for a in d: acc[0][a] += d[a]
                for a in hus: acc[1][a].append(hus[a])
        d, hus = acc
        if d['ours'] == 0 and d['ref'] == 0: continue
        cell = lambda a: (lambda x: f"{x.size} ({np.median(x):.0f})" if x.size else "0")(np.concatenate(hus[a]))
        out.append(f"| {k} | {d['ours']} | {d['ref']} | {d['both']} | {d['isl']} | {d['oth']} | {d['rib']} | {d['org']} | "
                   f"{cell('rim')} | {cell('ins')} | {d['insDark']} | {cell('lump')} | {cell('rest')} | {d['missB']} | {d['missP']} | {d['missO']} |")
    return out

head = ("| k | ours | ref | both | ref other vertebra: islands in T12's body | ref other vertebra: rest | ribs | organs "
        "| background: rim, 1 voxel (HU) | background: in the bodies' footprint (HU) | of them < 110 HU (disc-dark) "
        "| background: lumps beside the pedicles (HU) | background: elsewhere (HU) | missed: body | missed: posterior "
        "| missed: in our other vertebra |\n|" + "---|" * 16)
for name, o, rid, other, o2 in [("ours lower vs T12", lower, T12, T11, upper), ("ours upper vs T11", upper, T11, T12, lower)]:
    print(f"\n{name}\n{head}"); print("\n".join(rows(o, rid, other, o2)))

dice = lambda a, b: 2 * (a & b).sum() / (a.sum() + b.sum())
fixed = ref.copy(); fixed[islands] = T12
print(f"\nT11 islands inside T12's body: {islands.sum()} voxels in slices {sorted(set(np.nonzero(islands)[2].tolist()))}, "
      f"median HU {np.median(hu[islands]):.0f} (T12's own voxels in those slices: {np.median(hu[(ref == T12) & islands.any(axis=(0, 1))[None, None, :]]):.0f})")
for label, R in [("plain reference", ref), ("islands given to T12", fixed)]:
    print(f"{label}: lower vs T12 Dice {dice(lower, R == T12):.3f}, upper vs T11 {dice(upper, R == T11):.3f}, "
          f"T11 ∪ T12 {dice(lower | upper, np.isin(R, [T12, T11])):.3f}; ours {lower.sum()} / {upper.sum()}, reference {(R == T12).sum()} / {(R == T11).sum()}")
# The ceiling this reference allows: a segmentation equal to it with its islands given to T12 (our
# reading of the anatomy), scored against the plain reference.
print(f"ceiling (the reference with its islands given to T12, scored against the plain reference): "
      f"T12 Dice {dice(fixed == T12, ref == T12):.3f}, T11 {dice(fixed == T11, ref == T11):.3f}")
PY
