"""Heatmaps tested for faithfulness (docs/heatmaps.md): I-GOS and iGOS++ masks, deletion and
insertion scores of any heatmap, and structured attention graphs, in PyTorch (CPU or GPU)."""
