#ifndef DRIFTD_CMALLOC_SHIM_H
#define DRIFTD_CMALLOC_SHIM_H
// glibc's allocator settings (mallopt), which the Glibc module does not export; used once at start-up.
#ifdef __linux__
#include <malloc.h>
#endif
#endif
