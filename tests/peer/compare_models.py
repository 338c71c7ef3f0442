"""Runs the neural-decoder benchmarks (BenchmarkDotNet: our libtorch host and ONNX Runtime) and
Python's torch.jit on the same TorchScript file with the same threads, and prints the README's
table: per-frame decode times, our host against torch.jit, ONNX against our host, and a batch of
8 voices against 8 calls.

    /usr/bin/python3 tests/peer/compare_models.py
"""
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
VOICES = 8
MODEL_ARGS = ["--only-streaming", "--latent", "16", "--hidden", "256", "--ratio", "2048"]  # as ModelBenchmarks.Arguments


def torch_jit(path, batch, latent):
    """Median seconds per decode call, as our benchmark measures it (fresh module, warmed up, one thread)."""
    torch.set_num_threads(1)
    module = torch.jit.load(path)
    z = torch.rand(batch, latent, 1) * 2 - 1
    with torch.inference_mode():
        for _ in range(50):
            module.decode(z)
        runs = []
        for _ in range(15):
            start, n = time.perf_counter(), 200
            for _ in range(n):
                module.decode(z)
            runs.append((time.perf_counter() - start) / n)
    return statistics.median(runs)


with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as artifacts:
    subprocess.run(["/usr/bin/python3", os.path.join(here, "nn_models.py"), folder, *MODEL_ARGS], check=True)
    model = os.path.join(folder, "streaming_r44100.ts")
    peer_one = torch_jit(model, 1, 16)
    peer_batch = torch_jit(model, VOICES, 16)
    subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(repo, "tests"), "--",
                    "--filter", "*ModelBenchmarks*", "--exporters", "json", "--artifacts", artifacts],
                   check=True, stdout=sys.stderr, env={**os.environ, "TERRAIN_BENCH_MODELS": folder})
    report = json.load(open(glob.glob(os.path.join(artifacts, "results", "*ModelBenchmarks*-full-compressed.json"))[0]))

ours = {b["Method"]: (b["Statistics"]["Median"] * 1e-9, b["Memory"]["BytesAllocatedPerOperation"]) for b in report["Benchmarks"]}
frame_seconds = 2048 / 44100


def ms(seconds):
    return f"{seconds * 1e3:.3f} ms"


print(f"CPU: {report['HostEnvironmentInfo']['ProcessorName']}; one thread each; PyTorch {torch.__version__}; "
      f"decoder: latent 16, hidden 256, ratio 2048 (one frame = {frame_seconds * 1e3:.1f} ms of audio at 44.1 kHz)")
print()
print("| case | time a call | real-time factor | against | target | allocates |")
print("| --- | --- | --- | --- | --- | --- |")
t1, a1 = ours["TorchOne"]
o1, b1 = ours["OnnxOne"]
print(f"| Python torch.jit, one voice | {ms(peer_one)} | {frame_seconds / peer_one:.0f}x | | | |")
print(f"| TorchScript (our host), one voice | {ms(t1)} | {frame_seconds / t1:.0f}x | {t1 / peer_one:.2f} of torch.jit's time | <= 1.10 | {a1} B |")
print(f"| ONNX Runtime, one voice | {ms(o1)} | {frame_seconds / o1:.0f}x | {o1 / t1:.2f} of our host's time | <= 1.00 | {b1} B |")
print(f"| Python torch.jit, 8 voices, one batch | {ms(peer_batch)} | | | | |")
for engine, calls, batch in (("TorchScript", "TorchEightCalls", "TorchEightBatched"), ("ONNX", "OnnxEightCalls", "OnnxEightBatched")):
    c, ca = ours[calls]
    b, ba = ours[batch]
    print(f"| {engine}, 8 voices, 8 calls | {ms(c)} | {8 * frame_seconds / c:.0f}x | | | {ca} B |")
    print(f"| {engine}, 8 voices, one batch | {ms(b)} | {8 * frame_seconds / b:.0f}x | {c / b:.2f}x faster than 8 calls | > 1x | {ba} B |")
