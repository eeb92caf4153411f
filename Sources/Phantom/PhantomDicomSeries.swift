// The phantom's CT as a DICOM series (placeholder until the DICOM writer lands).
import Foundation
import OpenBCTCore

enum PhantomDicomSeries {
    static func write(_ phantom: PhantomCase, to directory: URL) throws -> [URL] { [] }
}
