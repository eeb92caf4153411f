// See include/openbct_jpeg.h.
#include "openbct_jpeg.h"
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

struct guarded_error {
    struct jpeg_error_mgr base;
    jmp_buf escape;
};

static void exit_by_longjmp(j_common_ptr cinfo) {
    struct guarded_error *err = (struct guarded_error *)cinfo->err;
    longjmp(err->escape, 1);
}

// Warnings (e.g. premature end of data, which libjpeg fills with grey) are errors for us:
// a corrupt frame must not decode into plausible pixels. Extraneous bytes before a marker are
// harmless and common, so they stay warnings.
static void warning_is_error(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code != JWRN_EXTRANEOUS_DATA) exit_by_longjmp(cinfo);
}

int openbct_jpeg_decode8(const unsigned char *data, size_t size, int width, int height, int components,
                         unsigned char *out, char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    struct guarded_error err;
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = exit_by_longjmp;
    err.base.emit_message = warning_is_error;
    jpeg_create_decompress(&cinfo);
    if (setjmp(err.escape)) {
        err.base.format_message((j_common_ptr)&cinfo, message);
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if ((int)cinfo.image_width != width || (int)cinfo.image_height != height || cinfo.num_components != components
        || (components != 1 && components != 3)) {
        snprintf(message, message_size, "stream is %u x %u with %d components, expected %d x %d with %d",
                 cinfo.image_width, cinfo.image_height, cinfo.num_components, width, height, components);
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    if (components == 3) {
        // Declaring the stream RGB makes libjpeg pass the components through unconverted.
        cinfo.jpeg_color_space = JCS_RGB;
        cinfo.out_color_space = JCS_RGB;
    } else {
        cinfo.jpeg_color_space = JCS_GRAYSCALE;
        cinfo.out_color_space = JCS_GRAYSCALE;
    }
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)width * (size_t)components;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out + (size_t)cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}
