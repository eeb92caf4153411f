import Testing
@testable import Pipeline

@Test("the Pipeline module links") func pipelineLinks() { _ = PipelineModule.self }
