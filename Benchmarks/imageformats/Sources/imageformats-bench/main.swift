// Times OpenBCT's NIfTI reading and writing on the files made by make_ct.py; prints one JSON line.
//   imageformats-bench DIR [REPEATS]   (DIR holds ct.nii and ct.nii.gz)
//   imageformats-bench read FILE       (one read, for peak-memory measurement with /usr/bin/time)
import Foundation
import ImageFormats
import OpenBCTCore

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

let args = CommandLine.arguments
if args.count == 3, args[1] == "read" {
    let v = try NIfTI.read(contentsOf: URL(fileURLWithPath: args[2]))
    print(v.grid.count)
    exit(0)
}
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: imageformats-bench DIR [REPEATS] | read FILE\n".utf8))
    exit(2)
}
let dir = URL(fileURLWithPath: args[1])
let repeats = args.count > 2 ? Int(args[2]) ?? 3 : 3
var results: [String: Double] = [:]
var volume: Volume<Float>?
for ext in ["nii", "nii.gz"] {
    let input = dir.appendingPathComponent("ct.\(ext)")
    let output = dir.appendingPathComponent("openbct-out.\(ext)")
    var readTimes: [Double] = [], writeTimes: [Double] = []
    for _ in 0..<repeats {
        readTimes.append(try seconds { volume = try NIfTI.read(contentsOf: input).asFloat() })
        writeTimes.append(try seconds { try NIfTI.write(volume!, to: output) })
    }
    results["read_\(ext)"] = readTimes.min()!
    results["write_\(ext)"] = writeTimes.min()!
    try? FileManager.default.removeItem(at: output)
}
results["megabytes"] = Double(volume!.voxels.count * 4) / 1e6
let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
