#!/usr/bin/python3
"""PyTorch side of the `cnn` comparison: the pytorch/examples MNIST network (the nn4j `cnn` preset)
Conv2d(1,32,3)-ReLU-Conv2d(32,64,3)-ReLU-MaxPool2d(2)-Dropout(0.25)-Flatten-Linear(9216,128)-ReLU-Dropout(0.5)-
Linear(128,10), cross-entropy, Adam lr 1e-3, batch 64, on Fashion-MNIST normalised with the training split's mean
and std (as nn4j's default `normalize` preprocessing). Batches are sliced from preloaded float tensors by a random
permutation (PyTorch's fast loop, no DataLoader workers).

  cnn.py --batches 50 --threads 2       train step timing only: ms per batch over 50 batches after 10 warm-up ones
  cnn.py --epochs 2 --threads 2         full epochs, test accuracy, then inference timing (batch 1 and batch 256)
Prints one `JSON {...}` line at the end, read by nn4j-bench's SideBySide."""
import argparse
import json
import statistics
import time

import torch
from torch import nn

import common


def make_net():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, 1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, 1), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(9216, 128), nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(128, 10),
    )


def pct(sorted_vals, q):
    return sorted_vals[min(len(sorted_vals) - 1, int(q * len(sorted_vals)))]


def step(model, loss_fn, opt, xb, yb):
    loss = loss_fn(model(xb), yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=0, help="full training epochs (0: only --batches timing)")
    ap.add_argument("--batches", type=int, default=0, help="time this many training steps (after 10 warm-up steps)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--calls", type=int, default=1000, help="batch-1 inference calls (after the epochs)")
    ap.add_argument("--passes", type=int, default=3, help="batch-256 passes over the test set (after the epochs)")
    args = ap.parse_args()

    common.set_threads(args.threads)
    torch.manual_seed(args.seed)
    print(f"torch {torch.__version__} | {common.thread_info()} | mkldnn={torch.backends.mkldnn.is_available()} | "
          f"args {vars(args)}", flush=True)

    xtr, ytr, xte, yte = common.load_dataset("fashion")
    Xtr = torch.from_numpy(xtr).unsqueeze(1).float().div_(255.0)
    Xte = torch.from_numpy(xte).unsqueeze(1).float().div_(255.0)
    mean, std = Xtr.mean().item(), Xtr.std().item()
    Xtr = (Xtr - mean) / std
    Xte = (Xte - mean) / std
    Ytr, Yte = torch.from_numpy(ytr), torch.from_numpy(yte)

    model = make_net()
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(args.seed)
    n, bs = Xtr.shape[0], args.batch_size
    summary = {"script": "cnn.py", "threads": args.threads}

    probe = common.CpuProbe()
    if args.batches > 0:
        model.train()
        perm = torch.randperm(n, generator=gen)
        batches = [(Xtr[perm[i * bs:(i + 1) * bs]], Ytr[perm[i * bs:(i + 1) * bs]]) for i in range(10 + args.batches)]
        for xb, yb in batches[:10]:
            step(model, loss_fn, opt, xb, yb)
        times = []
        for xb, yb in batches[10:]:
            t0 = time.perf_counter()
            step(model, loss_fn, opt, xb, yb)
            times.append((time.perf_counter() - t0) * 1000)
        summary["ms_per_batch_median"] = round(statistics.median(times), 3)
        summary["ms_per_batch_mean"] = round(sum(times) / len(times), 3)
        print(f"{args.batches} training steps: median {summary['ms_per_batch_median']} ms, "
              f"mean {summary['ms_per_batch_mean']} ms per batch of {bs}", flush=True)

    epoch_s = []
    for ep in range(1, args.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        total = torch.zeros(())
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            total += step(model, loss_fn, opt, Xtr[idx], Ytr[idx]).detach() * len(idx)
        epoch_s.append(time.perf_counter() - t0)
        print(f"epoch {ep}: train loss {total.item() / n:.4f} ({epoch_s[-1]:.1f} s)", flush=True)
    if args.epochs > 0:
        model.eval()
        with torch.no_grad():
            acc = sum((model(Xte[i:i + 1000]).argmax(1) == Yte[i:i + 1000]).sum().item()
                      for i in range(0, Xte.shape[0], 1000)) / Xte.shape[0]
            singles = [Xte[i:i + 1].clone() for i in range(args.calls)]
            for i in range(200):
                model(singles[i % args.calls])
            lat = []
            for x in singles:
                t0 = time.perf_counter_ns()
                model(x)
                lat.append((time.perf_counter_ns() - t0) / 1000.0)
            lat.sort()

            def one_pass():
                t0 = time.perf_counter()
                for i in range(0, Xte.shape[0], 256):
                    model(Xte[i:i + 256])
                return time.perf_counter() - t0

            one_pass()
            passes = sorted(one_pass() for _ in range(args.passes))
        summary.update({"epoch_s": [round(s, 3) for s in epoch_s], "final_test_acc": round(acc, 4),
                        "b1_median_us": round(statistics.median(lat), 1), "b1_p99_us": round(pct(lat, 0.99), 1),
                        "b256_img_per_s_median": round(Xte.shape[0] / statistics.median(passes))})
        print(f"test accuracy {acc * 100:.2f}%; batch-1 median {summary['b1_median_us']} us, "
              f"p99 {summary['b1_p99_us']} us; batch-256 {summary['b256_img_per_s_median']} img/s", flush=True)
    p = probe.stop()
    summary["others_cores"] = round(p["others_cores"], 2)
    print(f"[{common.fmt_probe(p)}]")
    print("JSON " + json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
