// Test inputs: the real CT series of ../shared/data.
import Foundation
import TestSupport

enum Fixtures {
    /// The 47 slices of the QRM thorax phantom scan (Canon Aquilion ONE, implicit VR): a real CT
    /// series with every identifying attribute a scanner writes, and private attributes.
    static func qrmSeries() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: TestPaths.shared("phantom/qrm-thorax/series"), includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// A non-CT instance (MR) from pydicom's test files.
    static var mrInstance: URL { TestPaths.shared("dicom/pydicom/MR_small.dcm") }
}
