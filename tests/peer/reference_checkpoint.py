"""The reference forward pass of an nn.terrain checkpoint, in plain PyTorch.

An independent check of the C# importer (engine/Files/ReferenceCheckpoint.cs): libtorch's own
reader (torch.jit.load) opens the archive, and the forward pass is written out as the reference
C++ writes it (jasper-zheng/nn_terrain, src/backend/backend.h, FourierCPPNImpl::forward), followed
by the inference clamp of nn.terrain~ (src/frontend/maxmsp/nn.terrain_tilde, cppn_infer).

usage: reference_checkpoint.py CHECKPOINT X,Y [X,Y ...]
    prints one JSON object: {"config": {...}, "latents": [[...], ...]}, one latent per coordinate.
usage: reference_checkpoint.py --tensors CHECKPOINT
    prints every float tensor of the checkpoint, flattened in row-major order: {"name": [...], ...}
usage: reference_checkpoint.py --make-linear CHECKPOINT
    writes a checkpoint of gauss_scale 0 (fc_in_linear, no Fourier features), a kind none of the
    published terrains is, laid out as FourierCPPNImpl registers it.
"""
import json
import sys

import torch
import torch.nn.functional as F


def forward(p, x):
    if float(p["m_gauss_scale"]) > 0.0:
        x = torch.matmul(p["two_pi"] * x, p["B_T"])
        x = torch.cat((x.sin(), x.cos()), dim=1)
        x = F.prelu(F.linear(x, p["fc_in_gau.weight"], p["fc_in_gau.bias"]), p["prelu1.weight"])
    else:
        x = F.prelu(F.linear(x, p["fc_in_linear.weight"], p["fc_in_linear.bias"]), p["prelu1.weight"])
    for k in (2, 3, 4):
        x = F.prelu(F.linear(x, p[f"fc{k}.weight"], p[f"fc{k}.bias"]), p[f"prelu{k}.weight"])
    x = F.linear(x, p["fc_out.weight"], p["fc_out.bias"])
    return x.clamp(-100.0, 100.0)


class LinearTerrain(torch.nn.Module):
    """FourierCPPNImpl with gauss_scale 0: its modules in its order, and the configuration beside them."""

    def __init__(self, in_dim, out_dim, c_max, mapping_size):
        super().__init__()
        self.fc_in_linear = torch.nn.Linear(in_dim, c_max)
        self.prelu1 = torch.nn.PReLU()
        self.fc2 = torch.nn.Linear(c_max, c_max)
        self.prelu2 = torch.nn.PReLU()
        self.fc3 = torch.nn.Linear(c_max, c_max)
        self.prelu3 = torch.nn.PReLU()
        self.fc4 = torch.nn.Linear(c_max, c_max)
        self.prelu4 = torch.nn.PReLU()
        self.fc_out = torch.nn.Linear(c_max, out_dim)
        self.register_buffer("m_in_dim", torch.tensor(in_dim))
        self.register_buffer("m_out_dim", torch.tensor(out_dim))
        self.register_buffer("m_cmax", torch.tensor(c_max))
        self.register_buffer("m_gauss_scale", torch.tensor(0.0))
        self.register_buffer("m_mapping_size", torch.tensor(mapping_size))

    def forward(self, x):
        return x


def make_linear(path):
    torch.manual_seed(3)
    module = LinearTerrain(in_dim=3, out_dim=5, c_max=32, mapping_size=256)
    with torch.no_grad():
        # Distinct slopes, so that a mix-up of prelu1..4 shows.
        for k, prelu in enumerate((module.prelu1, module.prelu2, module.prelu3, module.prelu4)):
            prelu.weight.fill_(0.1 * (k + 1))
    torch.jit.script(module).save(path)


def load(path):
    module = torch.jit.load(path, map_location="cpu")
    return {name: t.detach() for name, t in list(module.named_parameters()) + list(module.named_buffers())}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    if argv[1] == "--make-linear":
        make_linear(argv[2])
        return
    if argv[1] == "--tensors":
        p = load(argv[2])
        # float32 -> Python float is exact, and so is the way back from JSON.
        print(json.dumps({n: t.contiguous().flatten().tolist() for n, t in p.items() if t.dtype == torch.float32}))
        return
    p = load(argv[1])
    coordinates = torch.tensor([[float(v) for v in c.split(",")] for c in argv[2:]], dtype=torch.float32)
    with torch.no_grad():
        latents = forward(p, coordinates)
    config = {
        "in_dim": int(p["m_in_dim"]),
        "out_dim": int(p["m_out_dim"]),
        "cmax": int(p["m_cmax"]),
        "gauss_scale": float(p["m_gauss_scale"]),
        "mapping_size": int(p["m_mapping_size"]),
    }
    print(json.dumps({"config": config, "latents": latents.tolist()}))


if __name__ == "__main__":
    main(sys.argv)
