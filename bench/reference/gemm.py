#!/usr/bin/python3
"""GEMM ceiling (adapted for bench/run: --shapes, --min-time, JSON lines): torch.mm fp32 GFLOP/s (Debian torch 1.13.1 -> OpenBLAS 0.3.21
pthread build) at 1 and 2 threads. Both torch's OpenMP pool and OpenBLAS's own
pool are set to the thread count (torch.set_num_threads alone does not reach
OpenBLAS in this build). Median of many repetitions after warm-up."""
import argparse
import json
import statistics
import subprocess
import time

import torch

import common

# (label, M, K, N, layout): the same names and specs as nn4j-bench's GemmShape.STANDARD.
# NT is A @ B.t() as nn.Linear's forward; TN is A.t() @ B as its weight gradient.
SHAPES = [
    ("1024^3", 1024, 1024, 1024, "NN"),
    ("fwd1-b64", 64, 784, 256, "NT"),
    ("fwd2-b64", 64, 256, 10, "NT"),
    ("dW1-b64", 784, 64, 256, "TN"),
    ("fwd1-b256", 256, 784, 256, "NT"),
    ("fwd2-b256", 256, 256, 10, "NT"),
    ("dW1-b256", 784, 256, 256, "TN"),
]


def parse_shape(spec):
    """label=MxKxN:LAYOUT, or a label of SHAPES."""
    if "=" not in spec:
        for s in SHAPES:
            if s[0] == spec:
                return s
        raise ValueError(f"unknown shape {spec!r}")
    label, rest = spec.split("=", 1)
    dims, _, layout = rest.partition(":")
    m, k, n = (int(v) for v in dims.split("x"))
    return (label, m, k, n, layout or "NN")


def make(M, K, N, layout):
    if layout == "NN":
        return torch.randn(M, K), torch.randn(K, N)
    if layout == "NT":   # B is a transposed view of a [N,K] weight
        return torch.randn(M, K), torch.randn(N, K).t()
    if layout == "TN":   # A is a transposed view of a [K,M] activation
        return torch.randn(K, M).t(), torch.randn(K, N)
    raise ValueError(layout)


def bench(M, K, N, layout, min_time=1.5, min_reps=15):
    a, b = make(M, K, N, layout)
    out = torch.empty(M, N)
    flop = 2.0 * M * K * N
    # warm-up and calibrate
    for _ in range(3):
        torch.mm(a, b, out=out)
    t0 = time.perf_counter()
    k = 0
    while time.perf_counter() - t0 < 0.2 or k < 3:
        torch.mm(a, b, out=out)
        k += 1
    per = (time.perf_counter() - t0) / k
    # each sample = `inner` calls, sized to ~>=2 ms, total ~min_time
    inner = max(1, int(0.002 / per))
    reps = max(min_reps, int(min_time / (per * inner)))
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            torch.mm(a, b, out=out)
        samples.append((time.perf_counter() - t0) / inner)
    med = statistics.median(samples)
    return flop / med / 1e9, flop / min(samples) / 1e9, med, reps, inner


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--json", default=None)
    ap.add_argument("--shapes", default=None, help="comma-separated label=MxKxN:LAYOUT or labels (default: all)")
    ap.add_argument("--min-time", type=float, default=1.5, help="seconds of samples per shape")
    args = ap.parse_args()
    shapes = [parse_shape(s) for s in args.shapes.split(",")] if args.shapes else SHAPES

    print("\n".join(torch.__config__.show().splitlines()[:8]))
    lib = common._get_openblas()
    if lib:
        print(f"OpenBLAS: {lib.openblas_get_config().decode()} core={lib.openblas_get_corename().decode()}")
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = [l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("Model name")]
    flags = [l.split(":", 1)[1].split() for l in lscpu.splitlines() if l.startswith("Flags")]
    flags = flags[0] if flags else []
    print(f"CPU: {model[0] if model else '?'} | avx2={'avx2' in flags} avx512f={'avx512f' in flags} "
          f"avx512_bf16={'avx512_bf16' in flags} amx_tile={'amx_tile' in flags} "
          f"| avx512*: {' '.join(sorted(f for f in flags if f.startswith('avx512')))}")

    results = []
    for t in [int(x) for x in args.threads.split(",")]:
        common.set_threads(t)
        print(f"\n--- threads={t} ({common.thread_info()}) ---")
        for label, M, K, N, layout in shapes:
            probe = common.CpuProbe()
            g_med, g_best, med, reps, inner = bench(M, K, N, layout, min_time=args.min_time)
            p = probe.stop()
            print(f"{label:36s} M={M:5d} K={K:5d} N={N:5d} {layout}: "
                  f"median {g_med:7.1f} GFLOP/s  best {g_best:7.1f}  "
                  f"({med * 1e6:9.1f} us/call, {reps}x{inner}) [{common.fmt_probe(p)}]",
                  flush=True)
            results.append({"side": "torch", "threads": t, "shape": label, "M": M, "K": K, "N": N,
                            "layout": layout, "gflops_median": round(g_med, 1),
                            "gflops_best": round(g_best, 1), "us_per_call": round(med * 1e6, 2),
                            "others_cores": round(p["others_cores"], 2)})
            print("JSON " + json.dumps(results[-1]), flush=True)
    if args.json:
        with open(args.json, "a") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
