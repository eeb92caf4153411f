"""Draws a hip projection written by hip-bench (`<side>.pgm/.bone/.regions/.json`) as a PNG: the grey
aBMD image, bone pixels tinted by region (red neck, green trochanter, blue intertrochanter), the neck
box (yellow), the total-hip outline (cyan) and the trochanteric line (magenta). Needs numpy and
netpbm's pnmtopng (both in scripts/install-deps.sh).
    python3 render.py FOLDER SIDE OUT.png [SCALE]"""
import json, subprocess, sys
import numpy as np

folder, side, out = sys.argv[1], sys.argv[2], sys.argv[3]
scale = int(sys.argv[4]) if len(sys.argv) > 4 else 3
o = json.load(open(f"{folder}/{side}.json"))
w, h = o["width"], o["height"]
pgm = open(f"{folder}/{side}.pgm", "rb").read()
grey = np.frombuffer(pgm[len(pgm) - w * h:], dtype=np.uint8).reshape(h, w).astype(float)
bone = np.fromfile(f"{folder}/{side}.bone", dtype=np.uint8).reshape(h, w)
regions = np.fromfile(f"{folder}/{side}.regions", dtype=np.uint8).reshape(h, w)
rgb = np.stack([grey] * 3, -1)
for code, colour in {1: (255, 80, 80), 2: (80, 255, 80), 3: (80, 80, 255)}.items():
    m = (regions == code) & (bone == 1)
    rgb[m] = 0.6 * rgb[m] + 0.4 * np.array(colour)
rgb = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)


def draw(points, colour, closed):
    """Polylines in image pixel coordinates (x right, y down), sampled densely."""
    pts = [(x * scale, y * scale) for x, y in points] + ([(points[0][0] * scale, points[0][1] * scale)] if closed else [])
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        n = int(max(abs(x1 - x0), abs(y1 - y0)) * 2) + 1
        xs = np.clip(np.round(np.linspace(x0, x1, n)).astype(int), 0, rgb.shape[1] - 1)
        ys = np.clip(np.round(np.linspace(y0, y1, n)).astype(int), 0, rgb.shape[0] - 1)
        rgb[ys, xs] = colour


draw(o["neckBox"], (255, 255, 0), True)
if o["totalHip"]:
    draw(o["totalHip"], (0, 255, 255), True)
if o["trochantericLine"]:
    draw(o["trochantericLine"], (255, 0, 255), False)
ppm = f"P6\n{rgb.shape[1]} {rgb.shape[0]}\n255\n".encode() + rgb.astype(np.uint8).tobytes()
with open(out, "wb") as f:
    f.write(subprocess.run(["pnmtopng"], input=ppm, capture_output=True, check=True).stdout)
