"""Reads a terrain, a batch and a learning rate as JSON on stdin; prints as JSON the outputs, the MSE
loss, the gradients and the parameters after one Adam step, all computed by PyTorch.
Run by tests/Terrain/TorchParityTests.cs with /usr/bin/python3 (Debian's python3-torch)."""
import json
import sys

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from terrain_torch import from_tensors  # noqa: E402

torch.set_num_threads(1)
request = json.load(sys.stdin)
model = from_tensors(request["config"], {t["name"]: (t["shape"], t["data"]) for t in request["tensors"]})
x = torch.tensor(request["coordinates"], dtype=torch.float32).reshape(-1, request["config"]["InputDims"])
y = torch.tensor(request["targets"], dtype=torch.float32).reshape(x.shape[0], -1)

optimiser = torch.optim.Adam(model.parameters(), lr=request["lr"])
output = model(x)
loss = torch.nn.functional.mse_loss(output, y)
optimiser.zero_grad()
loss.backward()
gradients = {name: p.grad.flatten().tolist() for name, p in model.named_parameters()}
optimiser.step()
json.dump({
    "outputs": output.detach().flatten().tolist(),
    "loss": loss.item(),
    "gradients": gradients,
    "after": {name: p.detach().flatten().tolist() for name, p in model.named_parameters()},
}, sys.stdout)
