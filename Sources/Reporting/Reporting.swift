// Reporting: renderings of a result document — PDF, DICOM Encapsulated PDF, SR, SEG, FHIR.

/// Namespace of the Reporting module.
public enum ReportingModule {}
