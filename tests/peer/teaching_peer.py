"""The reference's teaching done in PyTorch: the peer of tests/Benchmarks/TeachingMeasurement.cs.
Run with /usr/bin/python3 (Debian's python3-torch), one thread (OpenBLAS's too), as our trainer; training
at our trainer's niceness (19).

    teaching_peer.py train REQUEST.json
        REQUEST: {"config": TerrainConfig's fields, "tensors": [{"name", "shape", "data"}],
                  "coordinates": [x, y, ...], "latents": [...], "epochs": 10, "batch": 32, "lr": 1e-3,
                  "seed": 1, "repeats": 3}
        The reference's `train`: Adam, MSE, shuffled minibatches with the last partial batch kept, the
        epoch's loss the mean of its batches' losses; from the terrain in REQUEST (TerrainCPPN of
        terrain_torch.py, the same weights). A throwaway copy first trains one epoch (PyTorch warmed up,
        as in a session that has trained before); then `repeats` timed runs, each from the terrain in
        REQUEST with a fresh optimiser and the shuffling seeded alike (the same run, so the same losses).
        Prints {"runs": [{"losses": [one per epoch], "seconds": wall time, "cpu": the process's CPU time
        over it (1: it had a core throughout)}], "torch": version}.

    teaching_peer.py encode MODEL.ts AUDIO.f32 [AUDIO.f32 ...]
        torch.jit's encode of each file (mono float32 at the model's rate, cut to whole frames), after
        one untimed call. Prints {"seconds": [one per file], "samples": [one per file]}.
"""
import json
import os
import sys
import time

# One thread, as our trainer: OpenBLAS (Debian's PyTorch's BLAS here) has a thread pool of its own that
# torch.set_num_threads does not reach.
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from terrain_torch import from_tensors  # noqa: E402

torch.set_num_threads(1)


def epochs(model, x, y, count, batch, lr, generator):
    """The reference's training loop: `count` epochs; returns each epoch's mean batch loss."""
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(count):
        order = torch.randperm(x.shape[0], generator=generator)
        total, batches = 0.0, 0
        for start in range(0, x.shape[0], batch):
            index = order[start:start + batch]
            optimiser.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x[index]), y[index])
            loss.backward()
            optimiser.step()
            total += loss.item()
            batches += 1
        losses.append(total / batches)
    return losses


def train(path):
    # At the niceness the instrument gives its trainer (19), so that what else this machine runs weighs on both alike.
    os.nice(19 - os.nice(0))
    with open(path) as file:
        request = json.load(file)
    config = request["config"]
    tensors = {t["name"]: (t["shape"], t["data"]) for t in request["tensors"]}
    x = torch.tensor(request["coordinates"], dtype=torch.float32).reshape(-1, config["InputDims"])
    y = torch.tensor(request["latents"], dtype=torch.float32).reshape(x.shape[0], -1)
    generator = torch.Generator()
    epochs(from_tensors(config, tensors), x, y, 1, request["batch"], request["lr"], generator)
    runs = []
    for _ in range(request["repeats"]):
        model = from_tensors(config, tensors)
        generator.manual_seed(request["seed"])
        start, cpu = time.perf_counter(), time.process_time()
        losses = epochs(model, x, y, request["epochs"], request["batch"], request["lr"], generator)
        seconds = time.perf_counter() - start
        runs.append({"losses": losses, "seconds": seconds, "cpu": (time.process_time() - cpu) / seconds})
    return {"runs": runs, "torch": torch.__version__}


def encode(model_path, files):
    model = torch.jit.load(model_path)
    ratio = int(model.encode_params[3])
    audio = [np.fromfile(f, dtype=np.float32) for f in files]
    audio = [torch.from_numpy(a[:len(a) // ratio * ratio].copy()).reshape(1, 1, -1) for a in audio]
    seconds = []
    with torch.inference_mode():
        model.encode(audio[0])
        for a in audio:
            start = time.perf_counter()
            model.encode(a)
            seconds.append(time.perf_counter() - start)
    return {"seconds": seconds, "samples": [a.shape[-1] for a in audio]}


if __name__ == "__main__":
    if sys.argv[1:2] == ["train"] and len(sys.argv) == 3:
        result = train(sys.argv[2])
    elif sys.argv[1:2] == ["encode"] and len(sys.argv) >= 4:
        result = encode(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
    json.dump(result, sys.stdout)
