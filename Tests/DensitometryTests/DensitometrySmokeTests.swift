import Testing
@testable import Densitometry

@Test("the Densitometry module links") func densitometryLinks() { _ = DensitometryModule.self }
