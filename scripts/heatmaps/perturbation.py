"""The pieces every mask method shares (docs/heatmaps.md): the blurred baseline, the composite of
an image and its baseline under a mask, mask upsampling, and the mask regularisers."""
import math

import torch
import torch.nn.functional as F


def default_mask_size(height):
    """The authors' 28 × 28 mask at 224 px is one cell per 8 px; small images keep at least 7 cells."""
    return max(7, round(height / 8))


def gaussian_blur(images, sigma):
    """Separable Gaussian blur with reflected borders (kernel radius 3σ, at most the image size - 1)."""
    if sigma <= 0:
        return images.clone()
    height, width = images.shape[-2:]
    radius = max(1, min(int(math.ceil(3 * sigma)), min(height, width) - 1))
    offsets = torch.arange(-radius, radius + 1, dtype=images.dtype, device=images.device)
    kernel = torch.exp(-offsets ** 2 / (2 * sigma ** 2))
    kernel = kernel / kernel.sum()
    channels = images.shape[1]
    padded = F.pad(images, (radius, radius, radius, radius), mode="reflect")
    rows = F.conv2d(padded, kernel.view(1, 1, 1, -1).repeat(channels, 1, 1, 1), groups=channels)
    return F.conv2d(rows, kernel.view(1, 1, -1, 1).repeat(channels, 1, 1, 1), groups=channels)


def blurred_baseline(images):
    """Ĩ: the authors blur 224-px images with σ = 50 (kernel 51); the same blur relative to the size."""
    return gaussian_blur(images, sigma=50 * images.shape[-1] / 224)


def upsample(masks, size):
    """U(M): bilinear upsampling of (B, 1, s, s) masks to the image's (H, W), corners aligned."""
    return F.interpolate(masks, size=size, mode="bilinear", align_corners=True)


def composite(images, baselines, up_masks):
    """Φ(I, Ĩ, U(M)) = I ⊙ U(M) + Ĩ ⊙ (1 − U(M)): the image where the mask is 1, the baseline where 0."""
    return images * up_masks + baselines * (1 - up_masks)


def total_variation(masks, power=2):
    """TV(M) = mean |M_{i+1,j} − M_{ij}|^p + mean |M_{i,j+1} − M_{ij}|^p per mask (p = 2, as the authors)."""
    m = masks[:, 0]
    vertical = (m[:, 1:, :] - m[:, :-1, :]).abs().pow(power).flatten(1).mean(1)
    horizontal = (m[:, :, 1:] - m[:, :, :-1]).abs().pow(power).flatten(1).mean(1)
    return vertical + horizontal


def bilateral_total_variation(images, masks, power=2, sigma=0.01):
    """iGOS++'s TV: half the mask's TV plus half the upsampled mask's TV in image space, each
    difference weighted by exp(−(ΔI)²/σ), so the mask may change where the image has an edge. On a
    constant image the weights are 1."""
    up = upsample(masks, images.shape[-2:])[:, 0]
    vertical_weight = torch.exp(-(images[:, :, 1:, :] - images[:, :, :-1, :]).mean(1) ** 2 / sigma)
    horizontal_weight = torch.exp(-(images[:, :, :, 1:] - images[:, :, :, :-1]) ** 2 / sigma).mean(1)
    vertical = (vertical_weight * (up[:, 1:, :] - up[:, :-1, :]).abs().pow(power)).flatten(1).mean(1)
    horizontal = (horizontal_weight * (up[:, :, 1:] - up[:, :, :-1]).abs().pow(power)).flatten(1).mean(1)
    return 0.5 * (total_variation(masks, power) + vertical + horizontal)
