#!/usr/bin/env python3
"""pydicom's view of an Enhanced CT multi-frame file, for comparison with openbct's assembly.

usage: enhanced_ct_reference.py FILE OUT.f32
Prints JSON: per-frame ImagePositionPatient, the shared ImageOrientationPatient and PixelSpacing, and the
frame order along the slice normal. Writes OUT.f32: HU (pixel_array * slope + intercept from each frame's
or the shared Pixel Value Transformation) as little-endian float32, frames in that order.
"""
import json
import sys

import numpy as np
import pydicom


def macro(ds, frame, name):
    """A functional group macro item: per-frame first, then shared."""
    for groups in (ds.PerFrameFunctionalGroupsSequence[frame], ds.SharedFunctionalGroupsSequence[0]):
        if name in groups:
            return groups[name][0]
    raise KeyError(name)


def main():
    ds = pydicom.dcmread(sys.argv[1])
    pixels = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns).astype(np.float64)
    iop = [float(v) for v in macro(ds, 0, "PlaneOrientationSequence").ImageOrientationPatient]
    normal = np.cross(iop[:3], iop[3:])
    frames = []
    for f in range(int(ds.NumberOfFrames)):
        ipp = [float(v) for v in macro(ds, f, "PlanePositionSequence").ImagePositionPatient]
        pvt = macro(ds, f, "PixelValueTransformationSequence")
        frames.append(dict(ipp=ipp, slope=float(pvt.RescaleSlope), intercept=float(pvt.RescaleIntercept)))
    order = sorted(range(len(frames)), key=lambda f: float(np.dot(frames[f]["ipp"], normal)))
    hu = np.stack([pixels[f] * frames[f]["slope"] + frames[f]["intercept"] for f in order])
    hu.astype("<f4").tofile(sys.argv[2])
    spacing = [float(v) for v in macro(ds, 0, "PixelMeasuresSequence").PixelSpacing]
    print(json.dumps(dict(iop=iop, pixel_spacing=spacing, frames=frames, order=order)))


if __name__ == "__main__":
    main()
