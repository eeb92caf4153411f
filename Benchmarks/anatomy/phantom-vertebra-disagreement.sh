#!/usr/bin/env bash
# Where our spine segmentation of the digital phantom and the phantom's truth labels disagree, per
# vertebra (T12 … L5). The phantom's anatomy is analytic and shares no code with the segmentation
# (methods.md §10); its truth labels a voxel by the structure at its centre. For each vertebra: Dice
# against the truth's codes of its level (body cortex, trabecular core, posterior elements,
# basivertebral vein); our extra voxels by the truth's class there — the neighbouring vertebrae, the
# discs, the canal, soft tissue within one voxel of the truth's bone (the partial-volume rim: the
# scanner's blur makes bone look larger) and farther, other bone —; the truth's voxels we miss by part
# and by where they went (a neighbouring vertebra of ours, or nothing), the posterior elements split
# into transverse-process tips (> 30 mm left–right from the mid-sagittal plane) and the rest.
# Usage: Benchmarks/anatomy/phantom-vertebra-disagreement.sh [phantom options…] (the spine is segmented alone)
#   (default: the default phantom; `--sites spine --z-coverage 10,290 --voxel 1.6 --slice-thickness 2.5 --phantom-rods none` is the test's)
# OPENBCT=path picks the binary (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${OPENBCT:-}
if [ -z "$bin" ]; then swift build -c release --product openbct >/dev/null; bin=.build/release/openbct; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" phantom -o "$work/ph" "$@" >/dev/null
"$bin" segment "$work/ph/hu.nii.gz" -o "$work/ours.nii.gz" --sites spine --json > "$work/ours.json" 2>/dev/null
python3 - "$work/ph" "$work/ours.nii.gz" "$work/ours.json" <<'PY'
import json, sys
import nibabel as nib, numpy as np
from scipy import ndimage as ndi
ph, oursf, jsonf = sys.argv[1:]
truth = np.asarray(nib.load(ph + '/labels.nii.gz').dataobj)
ours = np.asarray(nib.load(oursf).dataobj)
t, r = json.load(open(ph + '/truth.json')), json.load(open(jsonf))
table = {e['name']: e['value'] for e in r['labelTable']}
# Truth codes (docs/phantom.md, Sources/Phantom/PhantomLabel.swift): vertebra v (0 = T12 … 5 = L5) is
# 50 + 4v + {0 cortex, 1 core, 2 posterior, 3 vein}; 19 disc, 20 canal, 30–45 other bone, 11–18 soft tissue.
levels = [v['level'] for v in t['vertebrae']]
print("levels (ours, inferior first):", [v.get('level') for v in r['vertebrae']], "anchor", r['levels'].get('anchor'))
bone = (truth >= 30) & (truth < 74)
rim = ndi.binary_dilation(bone, np.ones((3, 3, 3), bool)) & ~bone
x = np.asarray(t['grid']['origin'])[0] + np.arange(truth.shape[0]) * t['grid']['spacing'][0]   # LPS x of each i
lateral = (np.abs(x) > 30)[:, None, None]
part_names = ['cortex', 'core', 'posterior', 'vein']
def ours_of(name):
    return np.isin(ours, [table.get(name + '_body', -1), table.get(name + '_posterior', -1)])
print("\n| vertebra | Dice | ours | truth | both | extra: vertebra above | extra: vertebra below | extra: disc | extra: canal "
      "| extra: soft tissue, 1-voxel rim | extra: soft tissue, farther | extra: other bone | missed: body "
      "| missed: posterior, transverse tips (> 30 mm) | missed: posterior, rest | missed → our vertebra above | missed → our vertebra below | missed → none |")
print("|" + "---|" * 18)
for v, name in enumerate(levels):
    mine = (truth >= 50 + 4 * v) & (truth <= 53 + 4 * v)
    o = ours_of(name)
    extra, miss = o & ~mine, mine & ~o
    T = truth[extra]
    above = ((T >= 50 + 4 * (v - 1)) & (T <= 53 + 4 * (v - 1))).sum() if v > 0 else 0
    below = ((T >= 50 + 4 * (v + 1)) & (T <= 53 + 4 * (v + 1))).sum() if v < 5 else 0
    soft = extra & (truth >= 11) & (truth <= 18)
    other_bone = ((T >= 30) & (T < 50)).sum()
    post = miss & (truth == 52 + 4 * v)
    up = ours_of(levels[v - 1]) if v > 0 else np.zeros_like(o)
    down = ours_of(levels[v + 1]) if v < 5 else np.zeros_like(o)
    print(f"| {name} | {2 * (o & mine).sum() / (o.sum() + mine.sum()):.3f} | {o.sum()} | {mine.sum()} | {(o & mine).sum()} | {above} | {below} "
          f"| {(T == 19).sum()} | {(T == 20).sum()} | {(soft & rim).sum()} | {(soft & ~rim).sum()} | {other_bone} | {(miss & ~post).sum()} "
          f"| {(post & lateral).sum()} | {(post & ~lateral).sum()} | {(miss & up).sum()} | {(miss & down).sum()} | {(miss & ~up & ~down).sum()} |")
PY
