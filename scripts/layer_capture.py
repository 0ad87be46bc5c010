"""Layer-wise maps for scripts/extract_activations.py `--layers` (docs/data-format.md, "Layer-wise
maps"; the clustering that reads them: docs/layers.md).

For every selected image, each layer's feature maps A (K, h, w) and, for each explained logit c,
the per-channel weights
    gradient_weights[c, k] = mean over locations of ∂y_c/∂A_k             (Grad-CAM)
    guided_weights[c, k]   = mean over locations of [A_k > 0]·[g_k > 0]·g_k  (guided Grad-CAM)
where y_c is the class *logit*. Images of a batch are independent (the model is in eval mode), so
one backward pass per explained logit over the batch's sum gives every image's gradients.
"""
import numpy as np


class LayerCapture:
    def __init__(self, model, names, classes_spec, find_layer, fail):
        self.names, self.spec, self.fail = names, classes_spec, fail
        self.outputs = {}
        for name in names:
            find_layer(model, name).register_forward_hook(self._hook(name))

    def _hook(self, name):
        def hook(module, inputs, output):
            self.outputs[name] = output
        return hook

    def classes(self, logits):
        """(B, G) int64: the logits explained for each image of the batch."""
        batch, count = logits.shape
        if self.spec == "predicted":
            return logits.argmax(1, keepdim=True).cpu().numpy()
        if self.spec == "all":
            return np.tile(np.arange(count), (batch, 1))
        try:
            chosen = [int(part) for part in self.spec.split(",")]
        except ValueError:
            self.fail(f"--gradient-classes expects predicted, all or comma-separated logit indices, got '{self.spec}'")
        bad = [c for c in chosen if not 0 <= c < count]
        if bad:
            self.fail(f"--gradient-classes: logit indices {bad} outside 0…{count - 1}")
        return np.tile(np.array(chosen), (batch, 1))

    def weights(self, logits, classes):
        """Per layer: (A (B, h, w, K), gradient weights (B, G, K), guided weights (B, G, K)) as numpy."""
        import torch
        tensors = []
        for name in self.names:
            a = self.outputs.get(name)
            if a is None or a.dim() != 4:
                self.fail(f"--layers {name}: expected a (N, K, h, w) output, found {None if a is None else tuple(a.shape)}")
            tensors.append(a)
        per_layer = [([], []) for _ in self.names]
        index = torch.from_numpy(classes).to(logits.device)
        for g in range(classes.shape[1]):
            score = logits.gather(1, index[:, g:g + 1]).sum()
            gradients = torch.autograd.grad(score, tensors, retain_graph=True, allow_unused=True)
            for (plain, guided), a, grad in zip(per_layer, tensors, gradients):
                grad = torch.zeros_like(a) if grad is None else grad
                plain.append(grad.mean(dim=(2, 3)))
                guided.append((grad * ((a > 0) & (grad > 0))).mean(dim=(2, 3)))
        return [(a.detach().permute(0, 2, 3, 1).float().cpu().numpy(),
                 torch.stack(plain, 1).detach().float().cpu().numpy(), torch.stack(guided, 1).detach().float().cpu().numpy())
                for a, (plain, guided) in zip(tensors, per_layer)]


class LayerWriter:
    """The `layers/` group: one subgroup per layer, rows in the order of `feature_map_rows`."""

    def __init__(self, f, names, rows):
        import h5py
        self.group = f.create_group("layers")
        self.group.attrs["order"] = names
        self.group.create_dataset("names", data=names, dtype=h5py.string_dtype())
        self.names, self.rows, self.datasets = names, rows, None

    def write(self, slot, per_layer, classes):
        """Stores one image (`per_layer` items indexed at the image, `classes` (G,)) at `slot`."""
        if self.datasets is None:
            g = len(classes)
            self.group.create_dataset("gradient_classes", (self.rows, g), "i8")
            self.datasets = []
            for name, (a, plain, _) in zip(self.names, per_layer):
                h, w, k = a.shape
                sub = self.group.create_group(name)
                sub.attrs.update({"height": h, "width": w, "channels": k})
                self.datasets.append((
                    sub.create_dataset("feature_maps", (self.rows, h, w, k), "f4", chunks=(1, h, w, k), compression="gzip"),
                    sub.create_dataset("gradient_weights", (self.rows, g, k), "f4"),
                    sub.create_dataset("guided_weights", (self.rows, g, k), "f4")))
        self.group["gradient_classes"][slot] = classes
        for (maps, plain, guided), (a, p, q) in zip(self.datasets, per_layer):
            maps[slot], plain[slot], guided[slot] = a, p, q
