#include "XNNKernels.h"

// The engine's own single-precision products for the SRAE's shapes: one operand has few rows (a
// batch), the other is a weight matrix read in place. Nothing is packed, so a weight matrix is
// read once per product and never copied (packing it cost OpenBLAS ~10 % of a batch-50 step).
//
// Every element of C is one fixed sequence of fused multiply-adds, whatever the tile, block or
// vector width it falls in: blocks on different threads, and AVX-512, AVX2+FMA or the baseline
// (libm's fmaf), all give the same bits. Nothing else is contracted.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && defined(__linux__)
#define XNN_FMA_VECTORS __attribute__((target_clones("avx512f", "fma", "default")))
#else
#define XNN_FMA_VECTORS
#endif

typedef float v16 __attribute__((ext_vector_type(16)));
typedef float v16u __attribute__((ext_vector_type(16), aligned(4)));
typedef float v8 __attribute__((ext_vector_type(8)));
typedef float v4 __attribute__((ext_vector_type(4)));
typedef int v16i __attribute__((ext_vector_type(16)));
static const v16i LANES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
// The accumulators start at +0 through their first FMA (the first term peeled off the loop), not
// by a zeroing loop: the compiler turned that loop into a call to memset on a stack copy of the
// tile, for every tile (6.6 % of a batch-50 training's profile).
static const v16 ZERO = {0};

// Macros rather than functions: a function taking a 64-byte vector changes its ABI per target.
#define LOAD(p) (*(const v16u *)(p))
#define STORE(p, v) (*(v16u *)(p) = (v))
#define FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
// x's lanes where mask is −1, +0 where it is 0 (bitwise, so exact).
#define MASKED(x, mask) ((v16)((v16i)(x) & (mask)))
// The 16 lanes of a dot product summed by one fixed tree: halves, quarters, then pairs.
#define LANE_SUM(v, out) do { \
    v8 h8_ = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15); \
    v4 h4_ = __builtin_shufflevector(h8_, h8_, 0, 1, 2, 3) + __builtin_shufflevector(h8_, h8_, 4, 5, 6, 7); \
    (out) = (h4_.x + h4_.z) + (h4_.y + h4_.w); } while (0)
// C's element from the product's value: α·value, plus β·C when β ≠ 0.
#define FINISH(value, c_ptr) ((beta) == 0 ? (alpha) * (value) : (alpha) * (value) + (beta) * (c_ptr))

enum {
    NT_ROW_BLOCK = 64,  // rows of A (5 KB each at K = 1280) that stay in L2 while all of B streams past
    NT_ROWS = 4,        // A·Bᵀ tile: 4 × 6 accumulators, plus 4 rows of A and one of B, fit 32 registers
    NT_COLUMNS = 6,
    BC_ROWS = 6,        // op(A)·B tile: 6 rows × up to 4 vectors = 24 accumulators
};

// One tile of C for A·Bᵀ: rows i.. i+R of A against rows j.. j+S of B, R·S accumulators of 16
// lanes. R and S are constants at every call, so the accumulators live in registers.
static inline __attribute__((always_inline)) void nt_tile(const int R, const int S, size_t k, float alpha,
        const float *a, size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc) {
    const size_t kv = k & ~(size_t)15, tail = k - 16;
    v16 acc[NT_ROWS][NT_COLUMNS];
#define NT_TERMS(p, START) do { \
        v16 x[NT_ROWS]; \
        for (int r = 0; r < R; r++) x[r] = LOAD(a + r * lda + (p)); \
        for (int s = 0; s < S; s++) { \
            v16 y = LOAD(b + s * ldb + (p)); \
            for (int r = 0; r < R; r++) acc[r][s] = FMA(x[r], y, START); \
        } } while (0)
    NT_TERMS(0, ZERO);
    for (size_t p = 16; p < kv; p += 16) NT_TERMS(p, acc[r][s]);
#undef NT_TERMS
    if (kv != k) {  // The last 16 terms once more, ending at k, the lanes already summed masked out.
        const v16i keep = LANES >= (int)(16 - (k - kv)) ? -1 : 0;
        v16 x[NT_ROWS];
        for (int r = 0; r < R; r++) x[r] = MASKED(LOAD(a + r * lda + tail), keep);
        for (int s = 0; s < S; s++) {
            v16 y = LOAD(b + s * ldb + tail);
            for (int r = 0; r < R; r++) acc[r][s] = FMA(x[r], y, acc[r][s]);
        }
    }
    for (int r = 0; r < R; r++) {
        for (int s = 0; s < S; s++) {
            float value;
            LANE_SUM(acc[r][s], value);
            float *cp = c + r * ldc + s;
            *cp = FINISH(value, *cp);
        }
    }
}

// Within xnn_gemm_nt: rows i_block..<i_end of A in tiles of NT_ROWS, then one by one, against S
// rows of B from row j.
#define NT_ROWS_OF_TILES(S) do { \
    size_t i = i_block; \
    for (; i + NT_ROWS <= i_end; i += NT_ROWS) \
        nt_tile(NT_ROWS, S, k, alpha, a + i * lda, lda, b + j * ldb, ldb, beta, c + i * ldc + j, ldc); \
    for (; i < i_end; i++) nt_tile(1, S, k, alpha, a + i * lda, lda, b + j * ldb, ldb, beta, c + i * ldc + j, ldc); \
} while (0)

XNN_FMA_VECTORS void xnn_gemm_nt(size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                                 const float *b, size_t ldb, float beta, float *c, size_t ldc) {
    for (size_t i_block = 0; i_block < m; i_block += NT_ROW_BLOCK) {
        const size_t i_end = m - i_block < NT_ROW_BLOCK ? m : i_block + NT_ROW_BLOCK;
        size_t j = 0;
        for (; j + NT_COLUMNS <= n; j += NT_COLUMNS) NT_ROWS_OF_TILES(NT_COLUMNS);
        for (; j < n; j++) NT_ROWS_OF_TILES(1);
    }
}

// Term p of the BC_ROWS × V accumulators of a tile (of the V of a single row), added to START.
#define BROADCAST_TILE_TERMS(V, p, START) do { \
    const float *bp = b + (p) * ldb, *ap = a + i * a_row + (p) * a_step; \
    v16 y[V]; \
    for (int s = 0; s < V; s++) y[s] = LOAD(bp + 16 * s); \
    _Pragma("unroll") for (int r = 0; r < BC_ROWS; r++) { \
        v16 x = ap[r * a_row]; \
        _Pragma("unroll") for (int s = 0; s < V; s++) acc[r][s] = FMA(x, y[s], START); \
    } } while (0)
#define BROADCAST_ROW_TERMS(V, p, START) do { \
    v16 x = a[i * a_row + (p) * a_step]; \
    for (int s = 0; s < V; s++) acc[s] = FMA(x, LOAD(b + (p) * ldb + 16 * s), START); } while (0)

// One strip of 16·V columns of C, all rows: tiles of BC_ROWS rows, then single rows. Each element
// is Σ_p A(i,p)·B(p,j) accumulated in p order from 0, then handed to WRITE(row, column, value,
// skip), which writes lanes [skip, 16) of the vector: the strip's first `skip` columns are
// computed but not written (the last strip of a row overlaps the one before it instead of going
// scalar). The strip's further parameters, those WRITE uses, follow `skip`.
#define BROADCAST_STRIP(V, NAME, WRITE, ...) \
static inline __attribute__((always_inline)) void NAME( \
        size_t m, size_t k, const float *a, size_t a_row, size_t a_step, const float *b, size_t ldb, \
        int skip, __VA_ARGS__) { \
    size_t i = 0; \
    for (; i + BC_ROWS <= m; i += BC_ROWS) { \
        v16 acc[BC_ROWS][V]; \
        BROADCAST_TILE_TERMS(V, 0, ZERO); \
        for (size_t p = 1; p < k; p++) BROADCAST_TILE_TERMS(V, p, acc[r][s]); \
        for (int r = 0; r < BC_ROWS; r++) for (int s = 0; s < V; s++) WRITE(i + r, 16 * s, acc[r][s], skip); \
    } \
    for (; i < m; i++) { \
        v16 acc[V]; \
        BROADCAST_ROW_TERMS(V, 0, ZERO); \
        for (size_t p = 1; p < k; p++) BROADCAST_ROW_TERMS(V, p, acc[s]); \
        for (int s = 0; s < V; s++) WRITE(i, 16 * s, acc[s], skip); \
    } \
}
// C's lanes [skip, 16) at (row, column) = α·value (+ β·C).
#define STORE_PRODUCT(row, column, value, skip) do { \
    float *cp_ = c + (row) * ldc + (column); v16 out_ = FINISH(value, LOAD(cp_)); \
    if ((skip) == 0) STORE(cp_, out_); else for (int l_ = (skip); l_ < 16; l_++) cp_[l_] = out_[l_]; } while (0)
#define PRODUCT_PARAMETERS float alpha, float beta, float *c, size_t ldc
BROADCAST_STRIP(4, product_strip_4, STORE_PRODUCT, PRODUCT_PARAMETERS)
BROADCAST_STRIP(2, product_strip_2, STORE_PRODUCT, PRODUCT_PARAMETERS)
BROADCAST_STRIP(1, product_strip_1, STORE_PRODUCT, PRODUCT_PARAMETERS)

// All strips of C's columns (n ≥ 16); the last, when n is not a multiple of 16, overlaps the one before.
#define BROADCAST_STRIPS(STRIP, A_ROW, A_STEP, ...) do { \
    size_t j = 0; \
    for (; j + 64 <= n; j += 64) STRIP##_4(m, k, a, A_ROW, A_STEP, b + j, ldb, 0, __VA_ARGS__(j)); \
    for (; j + 32 <= n; j += 32) STRIP##_2(m, k, a, A_ROW, A_STEP, b + j, ldb, 0, __VA_ARGS__(j)); \
    for (; j + 16 <= n; j += 16) STRIP##_1(m, k, a, A_ROW, A_STEP, b + j, ldb, 0, __VA_ARGS__(j)); \
    if (j < n) STRIP##_1(m, k, a, A_ROW, A_STEP, b + n - 16, ldb, (int)(j + 16 - n), __VA_ARGS__(n - 16)); \
} while (0)
#define PRODUCT_ARGUMENTS(column) alpha, beta, c + (column), ldc

XNN_FMA_VECTORS void xnn_gemm_broadcast(size_t m, size_t n, size_t k, float alpha, const float *a, size_t a_row,
                                        size_t a_step, const float *b, size_t ldb, float beta, float *c, size_t ldc) {
    // One stride of A is 1; as a constant it simplifies the addressing.
    if (a_row == 1) BROADCAST_STRIPS(product_strip, 1, a_step, PRODUCT_ARGUMENTS);
    else if (a_step == 1) BROADCAST_STRIPS(product_strip, a_row, 1, PRODUCT_ARGUMENTS);
    else BROADCAST_STRIPS(product_strip, a_row, a_step, PRODUCT_ARGUMENTS);
}
