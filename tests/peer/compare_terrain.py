"""Runs the terrain benchmarks (BenchmarkDotNet) and the PyTorch peer in one go and prints the
README's Performance table: our figure, PyTorch's, and the ratio.

    /usr/bin/python3 tests/peer/compare_terrain.py
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
cases = [  # (BenchmarkDotNet method, peer key, label, target)
    ("TrainStepDefaults", "train_defaults", "training step, defaults (2->8, width 128, m 256, batch 32)", ">= 3x"),
    ("TrainStepLarge", "train_large", "training step, large (2->64, width 512, m 256, batch 64)", ">= 1x"),
    ("OnePoint", "one_point", "one point, defaults", ">= 4x, < 15 us"),
    ("SixteenPoints", "points16", "16 points, defaults", "< 100 us"),
    ("Map256", "map256", "256 x 256 map, defaults", ">= 1x"),
]

with tempfile.TemporaryDirectory() as artifacts:
    subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(repo, "tests"), "--",
                    "--filter", "*TerrainBenchmarks*", "--exporters", "json", "--artifacts", artifacts],
                   check=True, stdout=sys.stderr)
    report = json.load(open(glob.glob(os.path.join(artifacts, "results", "*TerrainBenchmarks*-full-compressed.json"))[0]))
ours = {b["Method"]: (b["Statistics"]["Median"] * 1e-9, b["Memory"]["BytesAllocatedPerOperation"]) for b in report["Benchmarks"]}
peer = json.loads(subprocess.run(["/usr/bin/python3", os.path.join(here, "terrain_bench.py")],
                                 check=True, capture_output=True, text=True).stdout)
blas = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")


def show(seconds):
    return f"{seconds * 1e6:.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


print(f"CPU: {report['HostEnvironmentInfo']['ProcessorName']}, one thread each; "
      f"PyTorch {peer['torch']} on {blas}")
print()
print("| case | ours | PyTorch | speed-up | target | ours allocates |")
print("| --- | --- | --- | --- | --- | --- |")
for method, key, label, target in cases:
    seconds, allocated = ours[method]
    print(f"| {label} | {show(seconds)} | {show(peer[key])} | {peer[key] / seconds:.1f}x | {target} | {allocated} B |")
