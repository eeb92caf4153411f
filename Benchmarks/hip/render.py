"""Draws a hip projection written by hip-bench (`<side>.pgm/.bone/.regions/.json`) as a PNG: the grey
aBMD image, bone pixels tinted by region (red neck, green trochanter, blue intertrochanter), the neck
box (yellow), the total-hip outline (cyan) and the trochanteric line (magenta).
    python3 render.py FOLDER SIDE OUT.png [SCALE]"""
import json, sys
import numpy as np
from PIL import Image, ImageDraw

folder, side, out = sys.argv[1], sys.argv[2], sys.argv[3]
scale = int(sys.argv[4]) if len(sys.argv) > 4 else 3
o = json.load(open(f"{folder}/{side}.json"))
w, h = o["width"], o["height"]
grey = np.array(Image.open(f"{folder}/{side}.pgm")).astype(float)
bone = np.fromfile(f"{folder}/{side}.bone", dtype=np.uint8).reshape(h, w)
regions = np.fromfile(f"{folder}/{side}.regions", dtype=np.uint8).reshape(h, w)
rgb = np.stack([grey] * 3, -1)
for code, colour in {1: (255, 80, 80), 2: (80, 255, 80), 3: (80, 80, 255)}.items():
    m = (regions == code) & (bone == 1)
    rgb[m] = 0.6 * rgb[m] + 0.4 * np.array(colour)
image = Image.fromarray(rgb.astype(np.uint8)).resize((w * scale, h * scale), Image.NEAREST)
draw = ImageDraw.Draw(image)
points = lambda ps: [(x * scale, y * scale) for x, y in ps]
draw.polygon(points(o["neckBox"]), outline=(255, 255, 0))
if o["totalHip"]:
    draw.polygon(points(o["totalHip"]), outline=(0, 255, 255))
if o["trochantericLine"]:
    draw.line(points(o["trochantericLine"]), fill=(255, 0, 255), width=2)
image.save(out)
