// Eligibility: whether a CT acquisition and the anatomy it covers can be analysed, per site, with reasons.

/// Namespace of the Eligibility module.
public enum EligibilityModule {}
