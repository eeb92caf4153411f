// Pipeline: one analysis from a CT to a result document (ingest → eligibility → calibration → anatomy → BMD → FE → assessment).

/// Namespace of the Pipeline module.
public enum PipelineModule {}
