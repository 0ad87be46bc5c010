"""The shipped sample's CNN (scripts/make_sample_data.py) rebuilt as a torch nn.Module, with its
weights read from data/mnist_cnn.h5 `source_model/`. For scripts/extract_activations.py:

    --model scripts/models/mnist_cnn.py:build --model-arg data/mnist_cnn.h5 --layer relu3
"""
import h5py
import numpy as np
import torch
from torch import nn


class MnistCNN(nn.Module):
    """conv3x3(1→16)+ReLU+pool → conv3x3(16→32)+ReLU+pool → conv3x3(32→128)+ReLU → GAP → linear(128→10)."""

    def __init__(self):
        super().__init__()
        self.conv1, self.relu1, self.pool1 = nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
        self.conv2, self.relu2, self.pool2 = nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
        self.conv3, self.relu3 = nn.Conv2d(32, 128, 3, padding=1), nn.ReLU()
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        x = self.relu3(self.conv3(x))
        return self.fc(x.mean(dim=(2, 3)))


def im2col_to_torch(weight, in_channels):
    """make_sample_data.py's (9·C_in, C_out) im2col weights, ordered (row i, column j, channel c),
    as torch's (C_out, C_in, 3, 3)."""
    out_channels = weight.shape[1]
    return torch.from_numpy(np.ascontiguousarray(weight.reshape(3, 3, in_channels, out_channels).transpose(3, 2, 0, 1)))


def build(path="data/mnist_cnn.h5"):
    model = MnistCNN()
    with h5py.File(path, "r") as f:
        w = {name: np.asarray(f["source_model"][name]) for name in f["source_model"]}
    with torch.no_grad():
        for index, channels in ((1, 1), (2, 16), (3, 32)):
            getattr(model, f"conv{index}").weight.copy_(im2col_to_torch(w[f"conv{index}_weight"], channels))
            getattr(model, f"conv{index}").bias.copy_(torch.from_numpy(w[f"conv{index}_bias"]))
        model.fc.weight.copy_(torch.from_numpy(w["fc_weight"]))
        model.fc.bias.copy_(torch.from_numpy(w["fc_bias"]))
    return model.eval()
