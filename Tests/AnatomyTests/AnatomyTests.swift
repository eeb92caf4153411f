// Tests for Anatomy.
