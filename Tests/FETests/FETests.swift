// Tests for FE.
