// zlib: deflate/inflate for Deflated Explicit VR Little Endian and gzip (.nii.gz).
#include <zlib.h>
