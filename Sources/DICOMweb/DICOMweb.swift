// DICOMweb: STOW-RS, QIDO-RS and WADO-RS over HTTP, and multipart/related bodies.

/// Namespace of the DICOMweb module.
public enum DICOMwebModule {}
