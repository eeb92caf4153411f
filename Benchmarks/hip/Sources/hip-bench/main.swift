// Times HipDensitometry.measure (pose, projection, regions, scores of both femurs) on the digital
// phantom at its default resolution (512², 0.8 mm, 1.25 mm slices), hips only. Phantom generation and
// segmentation are not timed. Prints one line of JSON.
import Foundation
import OpenBCTCore
import Anatomy
import Densitometry
import Phantom

let rounds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 5 : 5
var o = PhantomOptions()
o.sites = [.hip]; o.rods = .none; o.zCoverage = [-110, 45]
let ph = try PhantomGenerator(o).generate()
let hu = ph.hu.map { Float($0) }
let seg = AnatomySegmenter().segment(hu: hu, sites: [.hip])
var times: [Double] = []
var analysis: HipAnalysis?
for _ in 0..<rounds {
    let t0 = Date()
    analysis = try HipDensitometry.measure(density: ph.density, labels: seg.labels, femurs: seg.result.femurs)
    times.append(Date().timeIntervalSince(t0))
}
let femurs = analysis?.result.femurs ?? []
let summary: [String: Any] = [
    "dims": [hu.grid.dims.x, hu.grid.dims.y, hu.grid.dims.z],
    "femurs": femurs.count,
    "femurVoxels": seg.labels.voxels.reduce(0) { $0 + ($1 == 1 || $1 == 2 ? 1 : 0) },
    "bestSeconds": times.min() ?? 0, "medianSeconds": times.sorted()[times.count / 2],
    "neckABMD": femurs.map { $0.region(.femoralNeck)?.aBMDGPerCM2 ?? 0 },
    "cores": ProcessInfo.processInfo.activeProcessorCount,
]
print(String(data: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), encoding: .utf8)!)
