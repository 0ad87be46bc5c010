#define _GNU_SOURCE
#include "AllocationCounter.h"

#include <dlfcn.h>
#include <string.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

// glibc's real allocator, under its internal names.
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void __libc_free(void *pointer);

static atomic_bool counting = false;
static atomic_uint_fast64_t allocations = 0;
static atomic_uint_fast64_t blas_allocations = 0;
static _Thread_local bool inside_counter = false;

// `caller` is the code that called malloc: an address inside OpenBLAS counts separately.
static void count(void *caller) {
    if (!atomic_load_explicit(&counting, memory_order_relaxed) || inside_counter) return;
    inside_counter = true;
    Dl_info info;
    bool in_blas = dladdr(caller, &info) != 0 && info.dli_fname != NULL && strstr(info.dli_fname, "openblas") != NULL;
    atomic_fetch_add_explicit(in_blas ? &blas_allocations : &allocations, 1, memory_order_relaxed);
    inside_counter = false;
}

void xnn_allocation_counting_start(void) {
    atomic_store(&allocations, 0);
    atomic_store(&blas_allocations, 0);
    atomic_store(&counting, true);
}

uint64_t xnn_allocation_counting_stop(void) {
    atomic_store(&counting, false);
    return atomic_load(&allocations);
}

uint64_t xnn_allocation_counting_blas(void) { return atomic_load(&blas_allocations); }

#define CALLER __builtin_return_address(0)
void *malloc(size_t size) { count(CALLER); return __libc_malloc(size); }
void *calloc(size_t count_, size_t size) { count(CALLER); return __libc_calloc(count_, size); }
void *realloc(void *pointer, size_t size) { count(CALLER); return __libc_realloc(pointer, size); }
void *memalign(size_t alignment, size_t size) { count(CALLER); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(CALLER); return __libc_memalign(alignment, size); }
void *valloc(size_t size) { count(CALLER); return __libc_valloc(size); }
void free(void *pointer) { __libc_free(pointer); }

int posix_memalign(void **result, size_t alignment, size_t size) {
    count(CALLER);
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}
