import Testing
@testable import Reporting

@Test("the Reporting module links") func reportingLinks() { _ = ReportingModule.self }
