// Calibration: HU → equivalent mineral density from in-scan phantoms or the patient's own tissues.
