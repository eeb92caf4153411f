// OpenJPEG 2.5 (libopenjp2-7-dev): JPEG 2000 and HTJ2K codestream decoding.
#include <openjpeg.h>
