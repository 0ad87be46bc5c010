// Element-wise kernels that Swift on Linux cannot vectorise: its Float.squareRoot() goes
// through libm's errno-setting sqrtf, which keeps loops scalar. Each kernel is one pass over memory.
// At the end, the own product kernels (gemm.c), which write their fused multiply-adds out.
#ifndef XNN_KERNELS_H
#define XNN_KERNELS_H

#include <stddef.h>

// Each kernel is compiled for AVX-512, for AVX2 and for the baseline, the loader picking the widest
// the processor has. Only exact IEEE operations are used and nothing is contracted into FMAs, so
// every width gives the same bits (a test compares them with a scalar Swift loop). The products
// use AVX-512, AVX + FMA or libm's fmaf, each the same fused operation.
#if defined(__x86_64__) && defined(__linux__)
#define XNN_WIDEST_VECTORS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define XNN_WIDEST_VECTORS
#endif

/// torch.optim.Adam's update (L2 weight decay added to the gradient) over `count` elements:
///   g' = g + weight_decay·w;  m = β1·m + (1−β1)·g';  v = β2·v + (1−β2)·g'²;
///   w -= step_size·m / (√(v·correction2_inverse) + ε)
/// where step_size = lr / (1 − β1^t) and correction2_inverse = 1 / (1 − β2^t). torch divides √v by
/// √(1 − β2^t) instead, the same value but one division more per element: the divider bounds
/// this pass, and dropping that division made it 27 % faster (0.42 → 0.31 ms for 1.1 million
/// elements on one core).
void xnn_adam_update(size_t count, float *weights, const float *gradients,
                     float *first_moments, float *second_moments,
                     float beta1, float beta2, float weight_decay,
                     float step_size, float correction2_inverse, float epsilon);

/// A dense layer's element-wise forward on its product `values` (rows × columns, row-major):
///   values[r][c] = max(0, values[r][c] + bias[c])        (relu != 0)
///   values[r][c] = values[r][c] + bias[c]                (relu == 0)
void xnn_add_bias_activate(size_t rows, size_t columns, float *values, const float *bias, int relu);

/// A dense layer's element-wise backward: with `relu`, zeroes the gradient where the output is 0;
/// then bias_gradient[c] = Σ_r gradient[r][c], summed in row order.
void xnn_activation_backward_bias_gradient(size_t rows, size_t columns, float *gradient, const float *output,
                                           float *bias_gradient, int relu);

/// Pass 1 of the sparse-log reconstruction loss: gradient = reconstruction − target and
/// dimension_errors[d] += Σ_r (reconstruction − target)² (the caller zeroes and averages).
void xnn_residuals_and_column_squares(size_t rows, size_t columns, const float *reconstruction, const float *target,
                                      float *gradient, double *dimension_errors);

/// values[r][c] *= (float)factors[c].
void xnn_scale_columns(size_t rows, size_t columns, float *values, const double *factors);

/// The engine's single-precision products (gemm.c), row-major, C = α·op(A)·op(B) + β·C (C is not
/// read when β = 0). Each element is one fixed sequence of fused multiply-adds, so any cut of C
/// into blocks, and every vector width, gives the same bits.
///
/// C (m × n) = A (m × k) · B (n × k)ᵀ, k ≥ 16: each element a dot product of two contiguous rows,
/// summed in 16 lanes (the last k mod 16 terms in the lanes where they fall when the final 16
/// are read again), the lanes by a fixed tree.
void xnn_gemm_nt(size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                 const float *b, size_t ldb, float beta, float *c, size_t ldc);

/// C (m × n) = A · B (k × n, contiguous rows), A's element (i, p) at a[i·a_row + p·a_step]: A as
/// stored (a_row = lda, a_step = 1) or transposed (a_row = 1, a_step = lda); n ≥ 16, k ≥ 1. Each element
/// is Σ_p A(i, p)·B(p, j) accumulated from p = 0 upwards.
void xnn_gemm_broadcast(size_t m, size_t n, size_t k, float alpha, const float *a, size_t a_row, size_t a_step,
                        const float *b, size_t ldb, float beta, float *c, size_t ldc);

#endif
