// ImageFormats: NIfTI-1/2 and MetaImage reading and writing.
