#ifndef DRIFTD_CZSTD_SHIM_H
#define DRIFTD_CZSTD_SHIM_H
// The streaming API of libzstd (Debian's libzstd-dev), used by the decoder and the generator.
#include <zstd.h>
#include <zstd_errors.h>
#endif
