import Testing
@testable import ResultModel

@Test("the ResultModel module links") func resultmodelLinks() { _ = ResultModelModule.self }
