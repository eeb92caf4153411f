// DICOM: Part-10 parsing, data dictionary, transfer syntaxes, series assembly into HU volumes, writers.
