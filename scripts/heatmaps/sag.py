"""Structured attention graphs (Shitole et al., NeurIPS 2021; docs/heatmaps.md): small sets of
image patches that alone keep the score above a share of the full image's, found by a beam search
guided by a heatmap, each pruned to a minimal sufficient set; a few diverse ones become roots, and
each root's graph shows how the score falls as its patches are removed one at a time.

Written against `score(frozenset of visible patch indices) -> float`, so it serves images (patches
revealed on the blurred baseline) and any other scorer.
"""
from dataclasses import dataclass, field


@dataclass
class Settings:
    threshold: float = 0.9        # a set is sufficient when score ≥ threshold × the full score
    beam_width: int = 5
    max_size: int = 6             # largest patch set searched
    max_roots: int = 3
    max_overlap: int = 1          # roots share at most this many patches
    depth: int = 2                # levels of removals drawn below each root


@dataclass
class Graph:
    roots: list                                   # frozensets, the chosen minimal sufficient sets
    scores: dict                                  # frozenset → score of every node drawn
    edges: list = field(default_factory=list)     # (parent, child, removed patch)


def beam_search(score, patches, target, priority, settings):
    """Sufficient sets by increasing size: each level extends the `beam_width` best insufficient
    sets by one patch; extensions are ranked by score, then by summed priority. Supersets of a set
    already found are skipped."""
    beams, found = [frozenset()], []
    for _ in range(min(settings.max_size, patches)):
        extensions = {b | {p} for b in beams for p in range(patches) if p not in b}
        extensions = [s for s in extensions if not any(f <= s for f in found)]
        ranked = sorted(extensions, key=lambda s: (-score(s), -sum(priority[p] for p in s), sorted(s)))
        found += [s for s in ranked if score(s) >= target]
        beams = [s for s in ranked if score(s) < target][: settings.beam_width]
        if not beams:
            break
    return found


def minimal(score, patches_set, target):
    """Drops patches (least score lost first) while the rest stays sufficient: no patch of the
    result can be removed."""
    current = frozenset(patches_set)
    while True:
        removable = [p for p in sorted(current) if score(current - {p}) >= target]
        if not removable:
            return current
        best = max(removable, key=lambda p: (score(current - {p}), -p))
        current = current - {best}


def structured_attention_graph(score, patches, priority, settings=Settings()):
    target = settings.threshold * score(frozenset(range(patches)))
    candidates = {minimal(score, s, target) for s in beam_search(score, patches, target, priority, settings)}
    ranked = sorted(candidates, key=lambda s: (len(s), -score(s), sorted(s)))
    roots = []
    for candidate in ranked:
        if len(roots) < settings.max_roots and all(len(candidate & r) <= settings.max_overlap for r in roots):
            roots.append(candidate)
    graph = Graph(roots=roots, scores={r: score(r) for r in roots})
    level = list(roots)
    for _ in range(settings.depth):
        following = []
        for parent in level:
            for patch in sorted(parent):
                child = parent - {patch}
                if not child:
                    continue
                graph.edges.append((parent, child, patch))
                if child not in graph.scores:
                    graph.scores[child] = score(child)
                    following.append(child)
        level = following
    return graph
