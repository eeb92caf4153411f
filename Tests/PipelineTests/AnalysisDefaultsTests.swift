// The analysis defaults the result document records: 1.5 mm FE elements for every site (docs/analysis.md, Decisions).
import Foundation
import Testing
@testable import Pipeline
import Assessment
import ResultModel

@Suite("analysis defaults")
struct AnalysisDefaultsTests {
    @Test("a default request records 1.5 mm FE elements; --voxel's value is what the parameters say")
    func elementSize() {
        let out = URL(fileURLWithPath: "/tmp/unused")
        var request = AnalysisRequest(input: "ct.nii.gz", outputDirectory: out)
        #expect(AnalysisPipeline.parameters(request, assessor: Assessor()).feVoxelSize_mm == 1.5)
        request.options.feVoxelSize = 1
        #expect(AnalysisPipeline.parameters(request, assessor: Assessor()).feVoxelSize_mm == 1)
    }
}
