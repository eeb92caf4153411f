// The analysis defaults the result document records: 1.5 mm FE elements for the femurs and the vertebrae
// (docs/analysis.md, Decisions); `--voxel` sets one size for both.
import Foundation
import Testing
@testable import Pipeline
import Assessment
import ResultModel

@Suite("analysis defaults")
struct AnalysisDefaultsTests {
    @Test("a default request records 1.5 mm femur and vertebral elements; one --voxel value sets both")
    func elementSize() {
        let out = URL(fileURLWithPath: "/tmp/unused")
        var request = AnalysisRequest(input: "ct.nii.gz", outputDirectory: out)
        var p = AnalysisPipeline.parameters(request, assessor: Assessor())
        #expect(p.hip.feVoxelSize_mm == 1.5 && p.feVoxelSize_mm == 1.5)
        #expect(p.spine.feVoxelSize_mm == 1.5)
        request.options.setFEVoxelSize(2)
        p = AnalysisPipeline.parameters(request, assessor: Assessor())
        #expect(p.hip.feVoxelSize_mm == 2 && p.spine.feVoxelSize_mm == 2 && p.feVoxelSize_mm == 2)
    }
}
