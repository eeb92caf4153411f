// libjpeg-turbo 2.1 (libjpeg62-turbo-dev, 8-bit build): JPEG baseline decoding.
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
