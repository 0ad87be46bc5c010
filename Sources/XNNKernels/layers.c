#include "XNNKernels.h"

// Loops over columns inside loops over rows: each column's sum keeps the row order of the
// scalar code, so vectorising over columns changes no bit of the result.
#pragma STDC FP_CONTRACT OFF

XNN_WIDEST_VECTORS void xnn_add_bias_activate(size_t rows, size_t columns, float *values, const float *bias, int relu) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = values + r * columns;
        const float *restrict b = bias;
        if (relu) {
#pragma clang loop vectorize(enable) interleave(enable)
            for (size_t c = 0; c < columns; c++) { float v = row[c] + b[c]; row[c] = v > 0 ? v : 0; }
        } else {
#pragma clang loop vectorize(enable) interleave(enable)
            for (size_t c = 0; c < columns; c++) row[c] += b[c];
        }
    }
}

XNN_WIDEST_VECTORS void xnn_activation_backward_bias_gradient(size_t rows, size_t columns, float *gradient, const float *output,
                                           float *bias_gradient, int relu) {
    float *restrict db = bias_gradient;
    for (size_t c = 0; c < columns; c++) db[c] = 0;
    for (size_t r = 0; r < rows; r++) {
        float *restrict g = gradient + r * columns;
        const float *restrict y = output + r * columns;
        if (relu) {
#pragma clang loop vectorize(enable) interleave(enable)
            for (size_t c = 0; c < columns; c++) { float v = y[c] > 0 ? g[c] : 0; g[c] = v; db[c] += v; }
        } else {
#pragma clang loop vectorize(enable) interleave(enable)
            for (size_t c = 0; c < columns; c++) db[c] += g[c];
        }
    }
}

XNN_WIDEST_VECTORS void xnn_residuals_and_column_squares(size_t rows, size_t columns, const float *reconstruction, const float *target,
                                      float *gradient, double *dimension_errors) {
    double *restrict e = dimension_errors;
    for (size_t r = 0; r < rows; r++) {
        const float *restrict x = reconstruction + r * columns, *restrict t = target + r * columns;
        float *restrict g = gradient + r * columns;
#pragma clang loop vectorize(enable) interleave(enable)
        for (size_t c = 0; c < columns; c++) {
            float difference = x[c] - t[c];
            g[c] = difference;
            e[c] += (double)(difference * difference);
        }
    }
}

XNN_WIDEST_VECTORS void xnn_scale_columns(size_t rows, size_t columns, float *values, const double *factors) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = values + r * columns;
        const double *restrict f = factors;
#pragma clang loop vectorize(enable) interleave(enable)
        for (size_t c = 0; c < columns; c++) row[c] *= (float)f[c];
    }
}
