// Tests for PixelCodecs.
