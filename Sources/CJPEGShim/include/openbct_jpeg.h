// A setjmp-guarded wrapper around libjpeg-turbo decompression: libjpeg reports errors by
// calling error_exit, which must not return, and Swift cannot longjmp — so this lives in C.
#ifndef OPENBCT_JPEG_H
#define OPENBCT_JPEG_H
#include <stddef.h>

/// Decodes an 8-bit DCT JPEG stream into interleaved samples as coded (chroma upsampled, no
/// colour conversion: the caller decides whether and how YCbCr becomes RGB).
/// Checks the stream's size and component count against `width`, `height`, `components` before
/// decoding into `out` (which holds width × height × components bytes).
/// Returns 0 on success; otherwise writes libjpeg's message into `message` and returns -1.
int openbct_jpeg_decode8(const unsigned char *data, size_t size, int width, int height, int components,
                         unsigned char *out, char *message, size_t message_size);

#endif
