// oneDNN's single-precision GEMM (Debian: libdnnl-dev, built on GNU OpenMP).
#include <dnnl.h>

// From GNU OpenMP (libgomp), which oneDNN is built on; declared here because Swift's clang does
// not see gcc's omp.h.
void omp_set_num_threads(int);

// dnnl_sgemm on the calling thread alone. oneDNN spreads a product over the OpenMP threads of the
// caller and cuts it by their number, which would make the bits depend on the thread count; the
// engine cuts products itself (ProductPartition) and gives each block to one thread. The setting
// is per thread, so this costs a store, not a synchronisation.
static inline dnnl_status_t xnn_dnnl_sgemm_one_thread(char transa, char transb, dnnl_dim_t m, dnnl_dim_t n, dnnl_dim_t k,
                                                      float alpha, const float *a, dnnl_dim_t lda, const float *b,
                                                      dnnl_dim_t ldb, float beta, float *c, dnnl_dim_t ldc) {
    omp_set_num_threads(1);
    return dnnl_sgemm(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
