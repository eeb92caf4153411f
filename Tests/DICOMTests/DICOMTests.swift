// Tests for DICOM.
