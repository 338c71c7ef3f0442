"""The terrain network in plain PyTorch: the peer our C# terrain is checked and measured against.

Mirrors engine/Terrain/TerrainNetwork.cs: Fourier features [sin(2πxB), cos(2πxB)] (or the raw
coordinate when sigma is 0), `depth` hidden Linear layers with an activation, one Linear output.
Tensor names match TerrainNetwork.ToTensors(), so a state dict moves between the two unchanged.
"""
import math

import torch
from torch import nn


class TerrainCPPN(nn.Module):
    def __init__(self, input_dims=2, latent_size=8, width=128, depth=4, fourier_features=256,
                 sigma=0.1, activation="PReLU", seed=0):
        super().__init__()
        self.sigma = sigma
        generator = torch.Generator().manual_seed(seed)
        if sigma > 0:
            self.register_buffer("B", torch.randn(input_dims, fourier_features, generator=generator) * sigma)
            first = 2 * fourier_features
        else:
            self.B = None
            first = input_dims
        sizes = [first] + [width] * depth + [latent_size]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        make = {"PReLU": lambda: nn.PReLU(init=0.25), "SiLU": nn.SiLU, "Tanh": nn.Tanh}[activation]
        self.activations = nn.ModuleList(make() for _ in range(depth))

    def forward(self, x):
        if self.B is not None:
            projection = 2 * math.pi * x @ self.B
            x = torch.cat([torch.sin(projection), torch.cos(projection)], dim=-1)
        for layer, activation in zip(self.layers, self.activations):
            x = activation(layer(x))
        return self.layers[-1](x)


def from_tensors(config, tensors):
    """Builds the module from a config dict (TerrainConfig's fields) and {name: (shape, values)}."""
    model = TerrainCPPN(config["InputDims"], config["LatentSize"], config["Width"], config["Depth"],
                        config["FourierFeatures"], config["Sigma"], config["Activation"])
    state = {name: torch.tensor(values, dtype=torch.float32).reshape(shape) for name, (shape, values) in tensors.items()}
    model.load_state_dict(state, strict=True)
    return model
