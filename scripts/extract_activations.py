#!/usr/bin/env python3
"""Extract a CNN layer's activations into the XNN activation file (docs/data-format.md).

The model is a torchvision model (`torchvision:resnet18`, with `--weights DEFAULT`) or any
nn.Module returned by a function in a Python file (`path/to/file.py:build`, with `--model-arg`
strings passed to it). A forward hook on `--layer` (a dotted module name, e.g. `layer4` or
`features.29`) captures its output A (N, D, h, w): the file gets the pooled z = mean over (h, w),
the model's logits, and A itself (channels last, chunked and compressed) for all, none or some
images. Pick the layer after its ReLU (e.g. the ReLU module itself) so z ≥ 0.

`--layers a,b,…` also stores, for the images `--feature-maps` selects, the feature maps of each of
those layers and, per explained logit (`--gradient-classes`: predicted, all or indices), the
per-channel Grad-CAM and guided Grad-CAM weights, for the layer-wise clustering (docs/layers.md;
layout in docs/data-format.md, "Layer-wise maps").

Images come from a folder (`--images DIR`, one subfolder per class, sorted; needs Pillow), a list
(`--image-list FILE`, lines `path[,label]`), or an array (`--array FILE.npy` or
`--array FILE.h5:DATASET`, shape (N, H, W[, C]), uint8 or float). Batches stream to disk, so
memory stays bounded for any number of images. Written under a temporary name, renamed at the end;
an existing file is kept unless --force.

    python3 scripts/extract_activations.py --model scripts/models/mnist_cnn.py:build \\
        --model-arg data/mnist_cnn.h5 --layer relu3 --array data/mnist_cnn.h5:thumbnails --scale 255 \\
        --labels data/mnist_cnn.h5:labels --classes zero,one,two,three,four,five,six,seven,eight,nine \\
        --feature-maps all --out mnist.h5
"""
import argparse
import contextlib
import difflib
import importlib.util
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layer_capture import LayerCapture, LayerWriter  # noqa: E402


def fail(message):
    """One error line named after the running script, exit status 2."""
    program = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    print(f"{program}: error: {message}", file=sys.stderr)
    sys.exit(2)


def refuse_existing(path, force):
    """Fails when `path` exists and --force was not given: nothing is replaced unasked."""
    if os.path.exists(path) and not force:
        fail(f"--out {path} exists; pass --force to replace it")


@contextlib.contextmanager
def renamed_into_place(path):
    """A temporary name for `path`, renamed into place when the block ends; removed when the block
    fails or is stopped, so nothing half-written is left."""
    temporary = f"{path}.partial-{os.getpid()}"
    try:
        yield temporary
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    os.replace(temporary, path)


def load_model(spec, args):
    import torch
    if spec.startswith("torchvision:"):
        try:
            import torchvision
        except ImportError:
            fail("--model torchvision:… needs torchvision (pip install torchvision)")
        name = spec.split(":", 1)[1]
        if not hasattr(torchvision.models, name):
            fail(f"--model: torchvision has no model '{name}'")
        return getattr(torchvision.models, name)(weights=args.weights)
    path, _, function = spec.rpartition(":")
    if not path or not function:
        fail(f"--model expects torchvision:NAME or FILE.py:FUNCTION, got '{spec}'")
    if not os.path.isfile(path):
        fail(f"--model: {path}: no such file")
    module_spec = importlib.util.spec_from_file_location("user_model", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    if not hasattr(module, function):
        fail(f"--model: {path} defines no function '{function}'")
    model = getattr(module, function)(*args.model_arg)
    if not isinstance(model, torch.nn.Module):
        fail(f"--model: {path}:{function} returned {type(model).__name__}, expected a torch.nn.Module")
    return model


def find_layer(model, name):
    modules = dict(model.named_modules())
    if name not in modules:
        close = difflib.get_close_matches(name, [m for m in modules if m], n=5)
        fail(f"--layer: the model has no module '{name}'" + (f"; close: {', '.join(close)}" if close else ""))
    return modules[name]


def read_array(spec):
    """A lazily read array: an HDF5 dataset (kept open, sliced per batch) or a memory-mapped .npy."""
    if ".h5:" in spec or ".hdf5:" in spec:
        import h5py
        path, dataset = spec.rsplit(":", 1)
        if not os.path.isfile(path):
            fail(f"{path}: no such file")
        f = h5py.File(path, "r")
        if dataset not in f:
            fail(f"{path}: no dataset '{dataset}' (has {', '.join(f.keys())})")
        return f[dataset]
    if not os.path.isfile(spec):
        fail(f"{spec}: no such file")
    return np.load(spec, mmap_mode="r")


class Source:
    """Images as float arrays (N, C, H, W) batch by batch, with labels, ids and thumbnails."""

    def __init__(self, args):
        self.args = args
        self.labels, self.class_names = None, None
        if args.array:
            self.array = read_array(args.array)
            if self.array.ndim not in (3, 4):
                fail(f"--array: expected (N, H, W[, C]) images, found shape {self.array.shape}")
            # Thumbnails: uint8 or [0, 255] data as they are; floats in [0, 1] (with --scale 1) times 255.
            self.thumbnail_factor = 255.0 if self.array.dtype.kind == "f" and args.scale == 1 else 1.0
            self.count = len(self.array)
            self.ids = [f"{os.path.basename(args.array.split(':')[0])}-{i:06d}" for i in range(self.count)]
        else:
            entries = []
            if args.images:
                if not os.path.isdir(args.images):
                    fail(f"--images: {args.images}: no such folder")
                classes = sorted(d for d in os.listdir(args.images) if os.path.isdir(os.path.join(args.images, d)))
                for label, name in enumerate(classes):
                    folder = os.path.join(args.images, name)
                    for root, _, files in sorted(os.walk(folder)):
                        entries += [(os.path.join(root, f), label) for f in sorted(files)
                                    if f.lower().endswith((".png", ".jpg", ".jpeg", ".bmp", ".webp"))]
                self.class_names = classes
            else:
                with open(args.image_list) as f:
                    for line in f:
                        if line.strip():
                            path, _, label = line.strip().partition(",")
                            entries.append((path, int(label) if label else -1))
            if not entries:
                fail("no images found")
            self.thumbnail_factor = 1.0  # image files are read as 0…255
            self.paths = [p for p, _ in entries]
            self.labels = np.array([l for _, l in entries])
            self.count = len(entries)
            root = args.images or os.path.dirname(args.image_list)
            self.ids = [os.path.relpath(p, root) for p in self.paths]
        if args.labels:
            self.labels = np.asarray(read_array(args.labels)).reshape(-1).astype(np.int64)
            if len(self.labels) != self.count:
                fail(f"--labels: {len(self.labels)} labels for {self.count} images")

    def batch(self, start, stop):
        """(float32 (B, C, H, W) network input, uint8 (B, H, W, C) thumbnails)."""
        if self.args.array:
            raw = np.asarray(self.array[start:stop], dtype=np.float32)
            if raw.ndim == 3:
                raw = raw[..., None]
        else:
            try:
                from PIL import Image
            except ImportError:
                fail("reading image files needs Pillow (pip install pillow)")
            mode = "L" if self.args.grayscale else "RGB"
            size = self.args.resize
            images = []
            for path in self.paths[start:stop]:
                image = Image.open(path).convert(mode)
                if size:
                    image = image.resize((size, size), Image.BILINEAR)
                images.append(np.asarray(image, dtype=np.float32).reshape(image.size[1], image.size[0], -1))
            raw = np.stack(images)
        thumbs = np.clip(raw * self.thumbnail_factor, 0, 255).round().astype(np.uint8)
        size = self.args.thumbnail_size
        if size and max(thumbs.shape[1:3]) > size:  # nearest-neighbour shrink, longest side to `size`
            h, w = thumbs.shape[1:3]
            scale = size / max(h, w)
            rows = (np.arange(max(1, round(h * scale))) / scale).astype(int)
            cols = (np.arange(max(1, round(w * scale))) / scale).astype(int)
            thumbs = thumbs[:, rows][:, :, cols]
        x = raw / self.args.scale
        if self.args.mean:
            x = (x - np.array(self.args.mean, np.float32)) / np.array(self.args.std or [1.0], np.float32)
        return np.ascontiguousarray(x.transpose(0, 3, 1, 2)), thumbs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--model-arg", action="append", default=[], help="a string argument for the model function (repeatable)")
    p.add_argument("--weights", default=None, help="torchvision weights name, e.g. DEFAULT")
    p.add_argument("--layer", required=True)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--images", help="a folder with one subfolder per class")
    source.add_argument("--image-list", help="a text file of path[,label] lines")
    source.add_argument("--array", help="FILE.npy or FILE.h5:DATASET of (N, H, W[, C]) images")
    p.add_argument("--labels", help="FILE.npy or FILE.h5:DATASET of integer labels (with --array)")
    p.add_argument("--classes", help="class names: a comma-separated list or a file with one per line")
    p.add_argument("--scale", type=float, default=1.0, help="divide pixel values by this (255 for uint8 to [0, 1])")
    p.add_argument("--mean", type=float, nargs="*", help="per-channel mean subtracted after scaling")
    p.add_argument("--std", type=float, nargs="*", help="per-channel standard deviation divided after the mean")
    p.add_argument("--resize", type=int, help="resize image files to SIZE × SIZE")
    p.add_argument("--grayscale", action="store_true", help="read image files as one channel")
    p.add_argument("--thumbnail-size", type=int, default=96, help="longest side of the stored thumbnails (0: full size)")
    p.add_argument("--feature-maps", default="none", help="all, none, N (the first N images) or a file of image ids")
    p.add_argument("--layers", help="comma-separated layers whose maps and gradient weights are stored for the --feature-maps images")
    p.add_argument("--gradient-classes", default="predicted", help="logits explained for --layers: predicted, all or indices [predicted]")
    p.add_argument("--test-fraction", type=float, default=0.0, help="write a random test_mask with this share of 1s")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--out", required=True)
    p.add_argument("--force", action="store_true")
    args = p.parse_args()

    refuse_existing(args.out, args.force)
    if not 0 <= args.test_fraction < 1:
        fail(f"--test-fraction expects a number in [0, 1), got {args.test_fraction}")
    try:
        import h5py
        import torch
    except ImportError as error:
        fail(f"needs torch and h5py ({error})")
    if args.threads:
        torch.set_num_threads(args.threads)

    model = load_model(args.model, args).eval()
    layer = find_layer(model, args.layer)
    images = Source(args)
    n = images.count
    if args.feature_maps == "all":
        map_rows = np.arange(n)
    elif args.feature_maps == "none":
        map_rows = np.arange(0)
    elif args.feature_maps.isdigit():
        map_rows = np.arange(min(n, int(args.feature_maps)))
    else:
        wanted = [line.strip() for line in open(args.feature_maps) if line.strip()]
        index = {image_id: row for row, image_id in enumerate(images.ids)}
        missing = [w for w in wanted if w not in index]
        if missing:
            fail(f"--feature-maps {args.feature_maps}: unknown image ids {', '.join(missing[:5])}")
        map_rows = np.array(sorted(index[w] for w in wanted), dtype=np.int64)
    map_slot = {int(r): i for i, r in enumerate(map_rows)}
    layer_names = [name for name in (args.layers or "").split(",") if name]
    if layer_names and not len(map_rows):
        fail("--layers stores maps for the images --feature-maps selects; it selects none")
    capture = LayerCapture(model, layer_names, args.gradient_classes, find_layer, fail) if layer_names else None

    captured = {}
    layer.register_forward_hook(lambda module, inputs, output: captured.__setitem__("A", output.detach()))
    started = time.time()
    with renamed_into_place(args.out) as temporary:
        with torch.set_grad_enabled(capture is not None), h5py.File(temporary, "w") as f:
            datasets = {}
            layer_writer = LayerWriter(f, layer_names, len(map_rows)) if capture else None
            map_written = 0
            last_report = 0.0
            for start in range(0, n, args.batch_size):
                stop = min(n, start + args.batch_size)
                x, thumbs = images.batch(start, stop)
                logits = model(torch.from_numpy(x))
                if "A" not in captured or captured["A"].dim() != 4:
                    fail(f"--layer {args.layer}: expected a (N, D, h, w) output, found {None if 'A' not in captured else tuple(captured['A'].shape)}")
                a = captured["A"].float()
                z = a.mean(dim=(2, 3)).numpy()
                slots = [(i, map_slot[start + i]) for i in range(stop - start) if start + i in map_slot]
                if capture and slots:
                    classes = capture.classes(logits)
                    per_layer = capture.weights(logits, classes)
                    for i, slot in slots:
                        layer_writer.write(slot, [(m[i], p[i], q[i]) for m, p, q in per_layer], classes[i])
                logits = logits.detach()
                if not datasets:  # shapes known after the first batch: create every dataset at full size
                    d, h, w = a.shape[1], a.shape[2], a.shape[3]
                    c = logits.shape[1]
                    datasets["activations"] = f.create_dataset("activations", (n, d), "f4", chunks=(min(n, 1024), d))
                    datasets["logits"] = f.create_dataset("logits", (n, c), "f4")
                    datasets["predictions"] = f.create_dataset("predictions", (n,), "i8")
                    datasets["thumbnails"] = f.create_dataset("thumbnails", (n,) + thumbs.shape[1:], "u1",
                                                              chunks=(min(n, 64),) + thumbs.shape[1:], compression="gzip")
                    if len(map_rows):
                        datasets["feature_maps"] = f.create_dataset("feature_maps", (len(map_rows), h, w, d), "f4",
                                                                    chunks=(1, h, w, d), compression="gzip")
                        f.create_dataset("feature_map_rows", data=map_rows)
                datasets["activations"][start:stop] = z
                datasets["logits"][start:stop] = logits.numpy()
                datasets["predictions"][start:stop] = logits.argmax(1).numpy()
                datasets["thumbnails"][start:stop] = thumbs
                for i in range(stop - start):
                    slot = map_slot.get(start + i)
                    if slot is not None:
                        datasets["feature_maps"][slot] = a[i].permute(1, 2, 0).numpy()
                        map_written += 1
                done = stop / n
                rate = stop / max(time.time() - started, 1e-9)
                if stop < n and time.time() - last_report < 0.5:
                    continue
                last_report = time.time()
                print(f"\rextract: [{'#' * int(done * 30):<30}] {stop}/{n} images, {rate:.0f}/s, "
                      f"{(n - stop) / rate:.0f} s left", end="", file=sys.stderr, flush=True)
            print(file=sys.stderr)
            f.create_dataset("image_ids", data=images.ids, dtype=h5py.string_dtype())
            if images.labels is not None:
                f.create_dataset("labels", data=images.labels)
            classes = images.class_names
            if args.classes:
                classes = ([line.strip() for line in open(args.classes) if line.strip()] if os.path.isfile(args.classes)
                           else args.classes.split(","))
            c = f["logits"].shape[1]
            if classes is None or len(classes) != c:
                if classes is not None:
                    print(f"extract: {len(classes)} class names for {c} logits; naming them class_0…", file=sys.stderr)
                classes = [f"class_{i}" for i in range(c)]
            f.create_dataset("class_names", data=classes, dtype=h5py.string_dtype())
            if args.test_fraction > 0:
                mask = np.zeros(n, np.uint8)
                mask[np.random.default_rng(args.seed).permutation(n)[: int(round(n * args.test_fraction))]] = 1
                f.create_dataset("test_mask", data=mask)
            f.attrs.update({"format": "xnn-activations", "format_version": 1, "layer": args.layer, "model": args.model,
                            "source": args.images or args.image_list or args.array, "created_by": "scripts/extract_activations.py"})
    seconds = time.time() - started
    print(f"wrote {args.out}: {n} images, D = {f_dim(args.out)}, {map_written} feature maps, "
          f"{seconds:.1f} s ({n / seconds:.0f} images/s)")


def f_dim(path):
    import h5py
    with h5py.File(path, "r") as f:
        return f["activations"].shape[1]


if __name__ == "__main__":
    main()
