"""The encoder and predictor of a run as a torch module (imported only when torch is wanted)."""


def RunModule(run, torch):
    activations = {"relu": torch.relu, "linear": lambda v: v, "sigmoid": torch.sigmoid,
                   "softplus": torch.nn.functional.softplus}

    class Module(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList()
            for weight, bias in run.encoder:
                layer = torch.nn.Linear(weight.shape[1], weight.shape[0])
                with torch.no_grad():
                    layer.weight.copy_(torch.from_numpy(weight))
                    layer.bias.copy_(torch.from_numpy(bias))
                self.layers.append(layer)
            self.predictor = torch.nn.Linear(run.concepts, run.outputs)
            with torch.no_grad():
                self.predictor.weight.copy_(torch.from_numpy(run.weights["predictor/weight"]))
                self.predictor.bias.copy_(torch.from_numpy(run.weights["predictor/bias"]))
            for name in ("activation_mean", "activation_scale", "target_mean", "target_scale"):
                self.register_buffer(name, torch.from_numpy(run.weights[f"normalization/{name}"]))

        def forward(self, activations):
            """(concepts, predictions in the targets' units)."""
            h = (activations - self.activation_mean) / self.activation_scale
            for i, layer in enumerate(self.layers):
                last = i == len(self.layers) - 1
                h = activations_of(run.concept_activation if last else run.hidden_activation)(layer(h))
            return h, self.predictor(h) * self.target_scale + self.target_mean

    def activations_of(name):
        return activations[name]

    return Module().eval()
