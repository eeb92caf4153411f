// Slice-stack geometry rules on hand-built headers, checked against closed-form expectations.
import Foundation
import OpenBCTCore
import Testing
@testable import DICOM

@Suite("Slice stack plan")
struct SeriesPlanTests {
    /// An axial 4×3 slice at height z (or at `position`), file name `name`.
    func slice(_ name: String, z: Double, position: Vec3? = nil, column: Vec3 = Vec3(0, 1, 0)) -> SliceHeader {
        SliceHeader(position: position ?? Vec3(-10, -20, z), rowDirection: Vec3(1, 0, 0), columnDirection: column,
                    pixelSpacing: SIMD2(0.5, 0.6), rows: 3, columns: 4, source: SliceSource(path: name))
    }

    @Test("orders slices along the normal, not by name or input order")
    func ordersAlongNormal() throws {
        let zs = [7.5, -5.0, 2.5, 0.0, 5.0, -2.5]
        let headers = zs.enumerated().map { slice("f\($0.offset)", z: $0.element) }
        let plan = try SliceStackPlan.make(headers, seriesName: "s")
        #expect(plan.stack.map { headers[$0].position.z } == [-5, -2.5, 0, 2.5, 5, 7.5])
        #expect(plan.outputGrid.origin == Vec3(-10, -20, -5))
        #expect(plan.outputGrid.spacing == Vec3(0.5, 0.6, 2.5))
        #expect(plan.outputGrid.dims == SIMD3(4, 3, 6))
        #expect(!plan.needsUniformResampling && !plan.isTilted && plan.warnings.isEmpty)
    }

    @Test("a feet-first normal (column direction reversed) orders by the normal's sense")
    func reversedNormal() throws {
        let headers = [0.0, 2.0, 4.0].map { slice("z\($0)", z: $0, column: Vec3(0, -1, 0)) }  // normal = −z
        let plan = try SliceStackPlan.make(headers, seriesName: "s")
        #expect(plan.outputGrid.origin.z == 4)
        #expect(plan.outputGrid.direction.c2 == Vec3(0, 0, -1))
    }

    @Test("one missing slice is interpolated; two in a row are refused")
    func gaps() throws {
        let one = try SliceStackPlan.make([0.0, 2, 4, 8, 10, 12, 14, 16, 18, 20, 22].map { slice("\($0)", z: $0) }, seriesName: "s")
        #expect(one.needsUniformResampling)
        #expect(one.outputGrid.dims.z == 12 && one.outputGrid.spacing.z == 2)
        #expect(throws: InputError.self) {
            try SliceStackPlan.make([0.0, 2, 4, 10, 12, 14, 16, 18, 20, 22].map { slice("\($0)", z: $0) }, seriesName: "s")
        }
    }

    @Test("too much irregular spacing is refused even without large gaps")
    func irregular() {
        // Alternating 1 mm and 1.9 mm steps: no single gap over 2×, but far over 10 % deviation.
        var z = 0.0, zs: [Double] = []
        for k in 0..<12 { zs.append(z); z += k % 2 == 0 ? 1 : 1.9 }
        #expect(throws: InputError.self) { try SliceStackPlan.make(zs.map { slice("\($0)", z: $0) }, seriesName: "s") }
    }

    @Test("duplicate positions are paired for the pixel check")
    func duplicates() throws {
        let headers = [slice("a", z: 0), slice("b", z: 1), slice("b2", z: 1.0001), slice("c", z: 2)]
        let plan = try SliceStackPlan.make(headers, seriesName: "s")
        #expect(plan.stack.count == 3 && plan.duplicates.count == 1)
        #expect(Set([plan.duplicates[0].kept, plan.duplicates[0].duplicate]) == [1, 2])
    }

    @Test("gantry tilt: in-plane drift gives the tilt angle and an orthogonal output grid")
    func tilt() throws {
        let t = 20.0 * Double.pi / 180
        let column = Vec3(0, cos(t), -sin(t))          // tilted about x; the table moves along z
        let headers = (0..<8).map { slice("\($0)", z: 0, position: Vec3(0, 0, 3 * Double($0)), column: column) }
        let plan = try SliceStackPlan.make(headers.reversed(), seriesName: "s")
        #expect(plan.isTilted)
        #expect(abs(plan.tiltDegrees - 20) < 1e-9)
        #expect(abs(plan.outputGrid.spacing.z - 3 * cos(t)) < 1e-9)
        #expect(plan.outputGrid.direction.orthonormalityError < 1e-12)
        // The sheared stack grid reproduces every slice position.
        for (k, index) in plan.stack.enumerated() {
            let p = plan.stackGrid.physicalPoint(index: Vec3(0, 0, Double(k)))
            #expect(length(p - headers.reversed()[index].position) < 1e-9)
        }
    }

    @Test("slice positions off a line and mixed sizes are refused")
    func refusals() {
        var headers = (0..<5).map { slice("\($0)", z: Double($0)) }
        headers[2].position.x += 3
        #expect(throws: InputError.self) { try SliceStackPlan.make(headers, seriesName: "s") }
        var sizes = (0..<3).map { slice("\($0)", z: Double($0)) }
        sizes[1].columns = 8
        #expect(throws: InputError.self) { try SliceStackPlan.make(sizes, seriesName: "s") }
    }
}
