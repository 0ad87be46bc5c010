"""Deletion and insertion scores of any heatmap (Petsiuk et al. 2018, as the I-GOS papers use them;
docs/heatmaps.md): the heatmap's cells ordered from most to least important; deletion blurs them
away from the image in that order, insertion reveals them on the blurred image; the score is
recorded at each of `steps` + 1 points and each curve summarised by its area (fraction of cells on
the x axis, trapezoids). A faithful heatmap gives a low deletion and a high insertion area.
"""
from dataclasses import dataclass

import torch

from .perturbation import composite, upsample


@dataclass
class Curves:
    fractions: list      # share of cells changed, 0 … 1
    deletion: list
    insertion: list

    @property
    def deletion_area(self):
        return curve_area(self.fractions, self.deletion)

    @property
    def insertion_area(self):
        return curve_area(self.fractions, self.insertion)


def curve_area(fractions, scores):
    """∫ score d(fraction) by the trapezoid rule."""
    return float(sum((b - a) * (s + t) / 2 for a, b, s, t in zip(fractions, fractions[1:], scores, scores[1:])))


def ordered_masks(heatmap, steps):
    """(steps + 1, 1, s, s) keep-masks: point t has the ⌈t/steps · cells⌉ most important cells at 0.
    Ties keep the row-major order, so a map's result does not depend on the sort's stability."""
    flat = heatmap.flatten()
    cells = flat.numel()
    order = sorted(range(cells), key=lambda i: (-float(flat[i]), i))
    masks = torch.ones(steps + 1, cells, dtype=heatmap.dtype)
    for t in range(1, steps + 1):
        removed = -(-t * cells // steps)
        masks[t, order[:removed]] = 0
    return masks.view(steps + 1, 1, *heatmap.shape)


def deletion_insertion(score, image, baseline, heatmap, steps=50):
    """The two curves of `heatmap` (s × s, any resolution: it is upsampled like a mask) for one image."""
    with torch.no_grad():
        keep = upsample(ordered_masks(heatmap, steps), image.shape[-2:])
        deleted = score(composite(image, baseline, keep))
        inserted = score(composite(baseline, image, keep))
    fractions = [t / steps for t in range(steps + 1)]
    return Curves(fractions, [float(v) for v in deleted], [float(v) for v in inserted])


def random_heatmap(size, seed):
    """A baseline: uniform noise on the mask grid."""
    return torch.rand(size, size, generator=torch.Generator().manual_seed(seed))


def centre_heatmap(size):
    """A baseline: importance falling with the distance from the centre."""
    axis = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    return -(axis.view(-1, 1) ** 2 + axis.view(1, -1) ** 2)
