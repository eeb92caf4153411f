import Testing
@testable import DICOMweb

@Test("the DICOMweb module links") func dicomwebLinks() { _ = DICOMwebModule.self }
