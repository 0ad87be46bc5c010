#include "XNNKernels.h"

// No contraction into FMAs: the update must give the same bits on every build of one machine.
#pragma STDC FP_CONTRACT OFF

XNN_WIDEST_VECTORS void xnn_adam_update(size_t count, float *restrict w, const float *restrict g,
                     float *restrict m, float *restrict v,
                     float beta1, float beta2, float weight_decay,
                     float step_size, float correction2_inverse, float epsilon) {
#pragma clang loop vectorize(enable) interleave(enable)
    for (size_t i = 0; i < count; i++) {
        float gradient = g[i] + weight_decay * w[i];
        float mi = beta1 * m[i] + (1 - beta1) * gradient;
        float vi = beta2 * v[i] + (1 - beta2) * gradient * gradient;
        m[i] = mi;
        v[i] = vi;
        // __builtin_elementwise_sqrt is IEEE sqrt without errno, so the loop vectorises.
        w[i] -= step_size * mi / (__builtin_elementwise_sqrt(vi * correction2_inverse) + epsilon);
    }
}
