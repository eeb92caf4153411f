import Foundation
import Testing
@testable import Pipeline
import ResultModel

@Suite("patient facts")
struct PatientFactsTests {
    @Test("DICOM ages (AS) and birth/study dates give years")
    func ages() {
        #expect(CTSource.age("064Y") == 64)
        #expect(CTSource.age("018M") == 1.5)
        #expect(CTSource.age("64Y") == nil)
        #expect(CTSource.age(birth: "19600301", at: "20260228") == 65)
        #expect(CTSource.age(birth: "19600301", at: "20260301") == 66)
    }

    @Test("overrides replace header facts and are marked as such")
    func overrides() {
        let header = PatientInfo(id: "P1", sex: "F", ageYears: 70, sources: ["id": .dicom, "sex": .dicom, "ageYears": .dicom])
        let p = header.applying(PatientOverrides(sex: "m", heightCM: 170))
        #expect(p.sex == "M" && p.sources["sex"] == .override)
        #expect(p.ageYears == 70 && p.sources["ageYears"] == .dicom)
        #expect(p.heightCM == 170 && p.sources["heightCM"] == .override)
    }
}
