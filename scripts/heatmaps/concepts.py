"""Concept units of a trained explanation space as functions of the image (docs/heatmaps.md,
"Concept targets"): the CNN's `layer` gives maps A (B, D, h, w), z is their spatial mean, and the
run's encoder (python/xnn_swift, the run's own normalisation) gives x. Also the review site's two
concept heatmaps (docs/method.md §6), so that every method is scored on one table."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "python"))
from xnn_swift import load_run  # noqa: E402


class ConceptScorer:
    def __init__(self, model, layer, run_dir):
        self.model = model
        self.encoder = load_run(run_dir).to_torch().float()
        for parameter in self.encoder.parameters():
            parameter.requires_grad_(False)
        self.maps = None
        layer.register_forward_hook(lambda module, inputs, output: setattr(self, "maps", output))

    def layer_maps(self, images):
        self.model(images)
        if self.maps is None or self.maps.dim() != 4:
            raise ValueError(f"the layer gives {None if self.maps is None else tuple(self.maps.shape)}, expected (B, D, h, w)")
        return self.maps

    def concepts(self, images):
        """x (B, k) of each image."""
        return self.encoder(self.layer_maps(images).mean(dim=(2, 3)))[0]

    def grad_cam(self, image, j):
        """ReLU(Σ_d A(u, d) · ∂x_j/∂z_d), the gradient at the image's z: the site's grad-cam map (h, w)."""
        maps = self.layer_maps(image).detach()[0]
        z = maps.mean(dim=(1, 2)).requires_grad_(True)
        (gradient,) = torch.autograd.grad(self.encoder(z[None])[0][0, j], z)
        return torch.relu((maps * gradient[:, None, None]).sum(0))

    def spatial(self, image, j):
        """x_j of the feature vector at every location: the site's spatial map (h, w)."""
        maps = self.layer_maps(image).detach()[0]
        d, h, w = maps.shape
        with torch.no_grad():
            return self.encoder(maps.reshape(d, h * w).T)[0][:, j].reshape(h, w)
