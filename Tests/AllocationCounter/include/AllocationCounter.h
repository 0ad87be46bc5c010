// Counts heap allocations of the whole test process while switched on, to prove that a code path
// (the training step) allocates nothing. Test-only: it replaces malloc and friends by forwarding
// wrappers, which glibc allows (its own entry points stay reachable as __libc_malloc etc.).
#ifndef XNN_ALLOCATION_COUNTER_H
#define XNN_ALLOCATION_COUNTER_H

#include <stdint.h>

/// Starts counting from zero.
void xnn_allocation_counting_start(void);
/// Stops counting and returns the number of malloc, calloc, realloc, memalign, posix_memalign,
/// aligned_alloc and valloc calls since the start, from every thread, except those made by
/// OpenBLAS itself (its threaded GEMM mallocs a job table per call: not ours to remove).
uint64_t xnn_allocation_counting_stop(void);

/// The calls made from inside OpenBLAS during the last counting period.
uint64_t xnn_allocation_counting_blas(void);

#endif
