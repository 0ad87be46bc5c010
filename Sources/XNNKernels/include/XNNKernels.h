// Element-wise kernels that Swift on Linux cannot vectorise: its Float.squareRoot() goes
// through libm's errno-setting sqrtf, which keeps loops scalar. Each kernel is one pass over memory.
#ifndef XNN_KERNELS_H
#define XNN_KERNELS_H

#include <stddef.h>

/// torch.optim.Adam's update (L2 weight decay added to the gradient) over `count` elements:
///   g' = g + weight_decay·w;  m = β1·m + (1−β1)·g';  v = β2·v + (1−β2)·g'²;
///   w -= step_size·m / (√v / correction2_root + ε)
/// where step_size = lr / (1 − β1^t) and correction2_root = √(1 − β2^t).
void xnn_adam_update(size_t count, float *weights, const float *gradients,
                     float *first_moments, float *second_moments,
                     float beta1, float beta2, float weight_decay,
                     float step_size, float correction2_root, float epsilon);

#endif
