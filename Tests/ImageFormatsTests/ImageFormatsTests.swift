// Tests for ImageFormats.
