// ResultModel: the versioned result document of one analysis, its JSON schema and provenance.

/// Namespace of the ResultModel module.
public enum ResultModelModule {}
