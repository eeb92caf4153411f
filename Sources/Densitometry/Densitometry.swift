// Densitometry: spine trabecular vBMD and hip DXA-equivalent areal BMD with T- and Z-scores.

/// Namespace of the Densitometry module.
public enum DensitometryModule {}
