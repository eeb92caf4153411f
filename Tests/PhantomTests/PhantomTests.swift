// Tests for Phantom.
