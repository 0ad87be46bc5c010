"""I-GOS (Qi, Khorram, Li, AAAI 2020) and iGOS++ (Khorram et al., CHIL 2021): masks optimised with
integrated gradients and an Armijo line search (docs/heatmaps.md). `score(images) -> (B,)` is the
function explained (a class logit or probability, or a concept unit), one image at a time here.
"""
from dataclasses import dataclass, field

import torch

from .perturbation import bilateral_total_variation, composite, total_variation, upsample


@dataclass
class Settings:
    mask_size: int = 28
    iterations: int = 15
    path_points: int = 20          # S: points on the path from the baseline (M = 0) to the mask
    l1: float = 1.0                # λ1 · mean |1 − M|
    tv: float = 20.0               # λ2 · TV(M)
    step: float = 8.0              # α0 of the line search (iGOS++: 1000)
    shrink: float = 0.2            # α ← 0.2 α until the Armijo condition holds
    armijo: float = 1e-4           # c in f(P(M − α g)) ≤ f(M) − c gᵀ(M − P(M − α g)), P the clamp to [0, 1]
    smallest_step: float = 1e-5    # below this the search gives up and takes the step
    noise: float = 0.2             # std of the noise added to the path images (0: none)
    seed: int = 0


@dataclass
class LineSearchRecord:
    """One iteration's search: the accepted step, the losses it compared, the decrease the
    gradient promises for the clamped step, gᵀ(M − P(M − αg)), and whether the Armijo condition
    held (False only when the step fell below `smallest_step`)."""
    step: float
    base_loss: float
    new_loss: float
    promised_decrease: float
    satisfied: bool


@dataclass
class MaskResult:
    mask: torch.Tensor                       # (s, s) in [0, 1]; the heatmap is 1 − mask (deletion)
    searches: list = field(default_factory=list)


def path_score(score, images, baselines, up_masks, points, noise):
    """(1/S) Σ_{i=1..S} score(Φ(I, Ĩ, (i/S)·U(M)) + ε_i): its gradient with respect to M is the
    integrated gradient I-GOS descends."""
    fractions = torch.linspace(1 / points, 1, points, dtype=images.dtype).view(-1, 1, 1, 1)
    path = composite(images, baselines, up_masks * fractions)
    if noise is not None:
        path = path + noise
    return score(path).sum() / points


def integrated_gradient(score, images, baselines, masks, points, noise=None):
    """∂/∂M of `path_score` at the masks (B = 1, M of shape (1, 1, s, s))."""
    masks = masks.detach().requires_grad_(True)
    value = path_score(score, images, baselines, upsample(masks, images.shape[-2:]), points, noise)
    (gradient,) = torch.autograd.grad(value, masks)
    return gradient


def line_search(loss, masks, gradient, settings):
    """Backtracking from α0 by `shrink` until the clamped step M' = P(M − αg) satisfies the
    projected Armijo condition loss(M') ≤ loss(M) − c·gᵀ(M − M'). (The authors compare with
    c·α‖g‖², which a step the clamp cuts short can never give: at M = 1 every step that would raise
    a cell is cut to nothing.)"""
    with torch.no_grad():
        base = float(loss(masks))
        alpha = settings.step
        while True:
            candidate = (masks - alpha * gradient).clamp(0, 1)
            promised = float((gradient * (masks - candidate)).sum())
            new = float(loss(candidate))
            if new <= base - settings.armijo * promised and promised > 0:
                return alpha, LineSearchRecord(alpha, base, new, promised, True)
            if alpha * settings.shrink < settings.smallest_step:
                return alpha, LineSearchRecord(alpha, base, new, promised, False)
            alpha *= settings.shrink


def path_noise(images, settings, generator):
    """One draw of the path noise, shared by a step's gradient and its line search (common random numbers)."""
    if settings.noise <= 0:
        return None
    shape = (settings.path_points,) + tuple(images.shape[1:])
    return settings.noise * torch.randn(shape, generator=generator, dtype=images.dtype)


def igos(score, image, baseline, settings=Settings()):
    """Deletion mask: minimise score(Φ(I, Ĩ, M)) + λ1 mean|1 − M| + λ2 TV(M) from M = 1."""
    generator = torch.Generator().manual_seed(settings.seed)
    masks = torch.ones(1, 1, settings.mask_size, settings.mask_size, dtype=image.dtype)
    size, result = image.shape[-2:], MaskResult(mask=masks[0, 0])

    def regulariser(m):
        return settings.l1 * (1 - m).abs().mean() + settings.tv * total_variation(m).sum()

    for _ in range(settings.iterations):
        noise = path_noise(image, settings, generator)
        m = masks.detach().requires_grad_(True)
        (gradient,) = torch.autograd.grad(regulariser(m), m)
        gradient = gradient + integrated_gradient(score, image, baseline, masks, settings.path_points, noise)

        def loss(candidate):
            return path_score(score, image, baseline, upsample(candidate, size), settings.path_points, noise) + regulariser(candidate)

        alpha, record = line_search(loss, masks, gradient, settings)
        result.searches.append(record)
        masks = (masks - alpha * gradient).clamp(0, 1).detach()
    result.mask = masks[0, 0]
    return result


def igos_plus_plus(score, image, baseline, settings=Settings(iterations=15, step=1000.0)):
    """A deletion mask D and an insertion mask N optimised together, their product the explanation:
    deleting where D·N is 0 must lower the score, revealing only there (on the baseline) must raise
    it; λ1 and the bilateral TV act on the product."""
    generator = torch.Generator().manual_seed(settings.seed)
    shape = (1, 1, settings.mask_size, settings.mask_size)
    deletion, insertion = torch.ones(shape, dtype=image.dtype), torch.ones(shape, dtype=image.dtype)
    size, result = image.shape[-2:], MaskResult(mask=deletion[0, 0])
    points = settings.path_points

    def objective(d, n, noise):
        ud, un = upsample(d, size), upsample(n, size)
        game = (path_score(score, image, baseline, ud, points, noise)            # delete with D
                - path_score(score, baseline, image, un, points, noise)          # insert with N
                + path_score(score, image, baseline, ud * un, points, noise)     # delete with D·N
                - path_score(score, baseline, image, ud * un, points, noise))    # insert with D·N
        return game / 2 + settings.l1 * (1 - d * n).abs().mean() + settings.tv * bilateral_total_variation(image, d * n).sum()

    for _ in range(settings.iterations):
        noise = path_noise(image, settings, generator)
        d, n = deletion.detach().requires_grad_(True), insertion.detach().requires_grad_(True)
        grad_d, grad_n = torch.autograd.grad(objective(d, n, noise), (d, n))
        both = torch.cat([deletion, insertion]), torch.cat([grad_d, grad_n])

        def loss(candidate):
            return objective(candidate[:1], candidate[1:], noise)

        alpha, record = line_search(loss, both[0], both[1], settings)
        result.searches.append(record)
        deletion = (deletion - alpha * grad_d).clamp(0, 1).detach()
        insertion = (insertion - alpha * grad_n).clamp(0, 1).detach()
    result.mask = (deletion * insertion)[0, 0]
    return result
