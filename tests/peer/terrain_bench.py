"""PyTorch running the same terrain work as tests/Benchmarks/TerrainBenchmarks.cs, one thread,
whatever BLAS libblas.so.3 points to (install libopenblas0-pthread: the peer at its best).
Prints one JSON object: {case: seconds per operation}. Run with /usr/bin/python3."""
import json
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from terrain_torch import TerrainCPPN  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(1)


def per_call(fn, min_seconds=2.0, warmup=20):
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(5):  # best of five rounds, as a benchmark harness reports a stable figure
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < min_seconds / 5:
            fn()
            n += 1
        best = min(best, (time.perf_counter() - start) / n)
    return best


def train_step(latent_size, width, batch):
    model = TerrainCPPN(latent_size=latent_size, width=width)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.rand(batch, 2) * 2 - 1, torch.rand(batch, latent_size)

    def step():
        optimiser.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimiser.step()
    return per_call(step)


model = TerrainCPPN()
point, points16 = torch.rand(1, 2), torch.rand(16, 2)
side = torch.linspace(-1, 1, 256)
grid = torch.stack(torch.meshgrid(side, -side, indexing="xy"), dim=-1).reshape(-1, 2)


def infer(x):
    with torch.inference_mode():
        return torch.clamp(model(x), -100, 100)


results = {
    "train_defaults": train_step(8, 128, 32),
    "train_large": train_step(64, 512, 64),
    "one_point": per_call(lambda: infer(point)),
    "points16": per_call(lambda: infer(points16)),
    "map256": per_call(lambda: infer(grid), min_seconds=5.0, warmup=2),
}
results["torch"] = torch.__version__
json.dump(results, sys.stdout)
