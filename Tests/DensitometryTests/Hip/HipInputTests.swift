// Bad or incomplete input to hip densitometry: refused with a specific error, or reported, never a crash.
import Foundation
import Testing
import OpenBCTCore
@testable import Anatomy
@testable import Densitometry

@Suite("Hip densitometry input")
struct HipInputTests {
    @Test("labels on another grid are refused with an InputError naming both sizes")
    func mismatchedGrid() {
        let density = Volume<Float>(grid: ImageGrid(dims: SIMD3(10, 10, 10)), repeating: 0)
        let labels = Volume<UInt8>(grid: ImageGrid(dims: SIMD3(10, 10, 9)), repeating: 0)
        #expect(throws: InputError.self) {
            _ = try HipDensitometry.measure(density: density, labels: labels, femurs: [])
        }
        do { _ = try HipDensitometry.measure(density: density, labels: labels, femurs: []) } catch {
            #expect("\(error)".contains("SIMD3<Int>(10, 10, 9)") && "\(error)".contains("grid"))
        }
    }

    @Test("a femur without landmarks, with implausible landmarks, or with an empty mask is reported, not measured")
    func incompleteFemurs() throws {
        let f = EllipsoidFemur()
        let none = HipDensitometry.measureFemur(density: f.density, voxels: f.voxels, side: .left, landmarks: nil)
        #expect(none.0.regions.isEmpty && none.1 == nil && none.0.findings.first?.contains("no head/neck/shaft landmarks") == true)
        var straight = f.landmarks
        straight.neckAxis = Line(point: straight.headCenter, direction: straight.shaftAxis.direction + Vec3(0.1, 0, 0))
        straight.neckShaftAngleDeg = 174
        let implausible = HipDensitometry.measureFemur(density: f.density, voxels: f.voxels, side: .left, landmarks: straight)
        #expect(implausible.0.pose == nil && implausible.0.findings.first?.contains("implausible landmarks") == true)
        let empty = HipDensitometry.measureFemur(density: f.density, voxels: [], side: .right, landmarks: f.landmarks)
        #expect(empty.0.regions.isEmpty && empty.0.findings.first?.contains("empty mask") == true)
    }

    @Test("the result document round-trips through JSON with its notice and notes")
    func json() throws {
        let f = EllipsoidFemur()
        let (femur, _) = HipDensitometry.measureFemur(density: f.density, voxels: f.voxels, side: .left, landmarks: f.landmarks)
        let result = HipDensitometry.summarise([femur], subject: ReferenceSubject(ageYears: 15, sex: .male), options: HipOptions())
        let data = try JSONEncoder().encode(result)
        #expect(try JSONDecoder().decode(HipDensitometryResult.self, from: data) == result)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(OpenBCT.researchUseNotice))
        #expect(result.notes.contains { $0.contains("Age under 20") } && result.notes.contains { $0.contains("Male subject") })
    }
}
