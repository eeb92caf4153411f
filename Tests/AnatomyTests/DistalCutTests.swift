// The lesser trochanter and the distal cut below it on the digital phantom: found at the slice
// spacings of clinical hip CTs, and the cut kept inside the scan (or the femur reported cut).
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
import Phantom

@Suite("Lesser trochanter and distal cut on the digital phantom")
struct DistalCutTests {
    /// Distance (mm) along the truth shaft axis from the truth lesser trochanter's distal edge (its
    /// ellipsoid's centre minus the 13 mm semi-axis along the shaft, Sources/Phantom/Anatomy/Femur.swift)
    /// to `level`; positive: `level` lies proximal to the edge.
    func offsetFromTruthEdge(_ level: Vec3, _ truth: PhantomTruth.FemurLandmarks) -> Double {
        let axis = normalize(truth.shaftAxis) * (truth.shaftAxis.z < 0 ? -1 : 1)
        return dot(level - truth.lesserTrochanter, axis) + 13
    }

    @Test("1.6 mm pixels, 1.5, 2 and 2.5 mm slices: both lesser trochanters found, the cut 10 mm below inside the scan",
          arguments: [1.5, 2.0, 2.5])
    func slices(thickness: Double) throws {
        let ph = try smallPhantom { $0.pixelSpacing = 1.6; $0.sliceThickness = thickness; $0.zCoverage = [-135, 60] }
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        #expect(hip.femurs.map(\.side) == [.left, .right])
        let grid = ph.hu.grid, plane = grid.dims.x * grid.dims.y
        let endSlice = grid.direction.c2.z >= 0 ? 0 : grid.dims.z - 1
        for f in hip.femurs {
            let truth = try #require(ph.truth.femurs.first { $0.side.rawValue == f.side.rawValue })
            let level = try #require(f.landmarks?.lesserTrochanterLevel, "\(f.side) lesser trochanter missed at \(thickness) mm: \(f.findings)")
            let offset = offsetFromTruthEdge(level, truth)
            print("\(thickness) mm slices, \(f.side): lesser trochanter \(String(format: "%.2f", offset)) mm from the truth's distal edge")
            // The section first rises 1.3× above the tube within the trochanter's lower part; sampled
            // by slice, so within a slice spacing plus the 3 mm the rise must last.
            #expect(offset > -thickness && offset < 3 + thickness, "\(f.side) at \(thickness) mm: \(offset) mm")
            #expect(f.distalCut != nil)
            #expect(!f.findings.contains { $0.kind == .femurCutByFieldOfView })
            #expect(!f.voxels.contains { $0 / plane == endSlice }, "\(f.side) femur still touches the scan's end slice")
        }
    }

    @Test("a scan ending just below the documented cut level: the femur is reported cut, never left touching the end slice",
          arguments: [-110.0, -104.0, -98.0])
    func scanEndNearCut(zEnd: Double) throws {
        let ph = try smallPhantom { $0.zCoverage = [zEnd, 60] }
        let hip = FemurSegmenter().segment(hu: ph.hu.map { Float($0) })
        let grid = ph.hu.grid, plane = grid.dims.x * grid.dims.y
        let endSlice = grid.direction.c2.z >= 0 ? 0 : grid.dims.z - 1
        #expect(hip.femurs.count == 2)
        for f in hip.femurs {
            let touches = f.voxels.contains { $0 / plane == endSlice }
            let reported = f.findings.contains { $0.kind == .femurCutByFieldOfView }
            print("scan end z \(zEnd): \(f.side) cut \(f.distalCut != nil), touches end slice \(touches), reported \(reported)")
            // Either the cut lies inside the scan and the femur is whole in it, or the femur keeps its
            // shaft to the end slice and says it is cut by the field of view.
            #expect(f.distalCut != nil ? !touches && !reported : touches && reported)
        }
    }
}
