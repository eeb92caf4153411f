// Tests for Calibration.
