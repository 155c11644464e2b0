#!/usr/bin/python3
"""Same start, both sides: draws the seed MLP's initial weights and one batch order per epoch, writes them to --dir
(little-endian raw files read by nn4j's dev.nn4j.bench.SameStart), then trains PyTorch from them with the seed
recipe (Fashion-MNIST normalised with the training split's mean and std, Adam lr 1e-3, batch 64) and prints the test
accuracy and loss after each epoch, one JSON line each. With the start and the order shared, what is left between
the two sides' results is their arithmetic.

    same_start.py --dir DIR --seed S --epochs E [--threads T]
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn

import common


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    common.set_threads(args.threads, None)
    torch.manual_seed(args.seed)
    os.makedirs(args.dir, exist_ok=True)

    xtr, ytr, xte, yte = common.load_dataset("fashion")
    pixels = torch.from_numpy(xtr).float().div_(255.0)
    mean, std = pixels.mean().item(), pixels.std(unbiased=False).item()
    del pixels
    Xtr = torch.from_numpy(xtr).reshape(len(xtr), -1).float().div_(255.0).sub_(mean).div_(std)
    Xte = torch.from_numpy(xte).reshape(len(xte), -1).float().div_(255.0).sub_(mean).div_(std)
    Ytr, Yte = torch.from_numpy(ytr), torch.from_numpy(yte)

    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    for name, p in model.state_dict().items():
        p.numpy().astype("<f4").tofile(os.path.join(args.dir, f"{name}.f32"))
    gen = torch.Generator().manual_seed(args.seed)
    orders = [torch.randperm(len(Xtr), generator=gen) for _ in range(args.epochs)]
    np.stack([o.numpy() for o in orders]).astype("<i4").tofile(os.path.join(args.dir, "orders.i32"))
    np.array([mean, std], dtype="<f8").tofile(os.path.join(args.dir, "normalize.f64"))

    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch, order in enumerate(orders, 1):
        model.train()
        for i in range(0, len(order), 64):
            idx = order[i:i + 64]
            loss = loss_fn(model(Xtr[idx]), Ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            out = model(Xte)
            acc = (out.argmax(1) == Yte).float().mean().item()
            test_loss = loss_fn(out, Yte).item()
        print("JSON " + json.dumps({"side": "torch", "seed": args.seed, "epoch": epoch, "test_acc": round(acc, 4),
                                    "test_loss": round(test_loss, 5)}), flush=True)


if __name__ == "__main__":
    main()
