// PixelCodecs: decoders for DICOM encapsulated pixel data (RLE, JPEG baseline/extended/lossless, JPEG-LS, JPEG 2000).
