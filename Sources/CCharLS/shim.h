// CharLS 2.4 (libcharls-dev): JPEG-LS lossless and near-lossless decoding.
#include <charls/charls.h>
