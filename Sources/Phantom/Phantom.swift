// Phantom: the digital CT phantom with ground truth.
