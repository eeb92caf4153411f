// Assessment: strength classes, risk category, load-to-strength ratio, change against a prior result.

/// Namespace of the Assessment module.
public enum AssessmentModule {}
