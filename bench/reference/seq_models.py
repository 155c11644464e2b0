#!/usr/bin/python3
"""PyTorch 1.13 reference for nn4j's sequence presets: an image [B, 1, 28, 28] is read row by row as a sequence of
28 steps of 28 features (Flatten(1, 2) gives batch-first [B, 28, 28]).

--model lstm        : Flatten(1,2), LSTM(28, 128, batch_first), last step's output, Linear(128, 10).
--model transformer : Flatten(1,2), Linear(28, 64), learned positional encoding (a [28, 64] parameter `weight`,
                      init N(0, 0.02^2), added to every sequence), TransformerEncoder(TransformerEncoderLayer(
                      d_model 64, nhead 4, dim_feedforward 128, dropout 0.1, relu, batch_first, norm_first), 2
                      layers, final LayerNorm(64)), mean over the 28 steps, Linear(64, 10).

Recipe (the nn4j CLI defaults): pixels/255, then normalized with the mean and (population) std of the training
images; CrossEntropyLoss, Adam lr 1e-3, batch 64, shuffled each epoch from a seeded generator (preloaded tensors,
randperm index slicing, as cnn.py). Prints per-epoch train loss, test accuracy and seconds; --json appends a summary.
Run with Debian's interpreter: /usr/bin/python3 bench/reference/seq_models.py --model lstm --epochs 5
"""
import argparse
import json
import time

import torch
from torch import nn

import common


class LastStep(nn.Module):
    """[B, T, F] -> [B, F]: the last step (nn4j's SequencePool("last"))."""

    def forward(self, x):
        return x[:, -1]


class MeanStep(nn.Module):
    """[B, T, F] -> [B, F]: the mean over steps (nn4j's SequencePool("mean"))."""

    def forward(self, x):
        return x.mean(1)


class LstmOutput(nn.Module):
    """Wraps nn.LSTM so that it returns only the output sequence (nn4j's LSTM.forward(x) does the same)."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.lstm = nn.LSTM(*args, **kwargs)

    def forward(self, x):
        return self.lstm(x)[0]


class LearnedPositionalEncoding(nn.Module):
    """x + weight[:T] with weight [max_len, d_model] ~ N(0, 0.02^2) (nn4j's LearnedPositionalEncoding)."""

    def __init__(self, max_len, d_model):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(max_len, d_model))
        nn.init.normal_(self.weight, 0.0, 0.02)

    def forward(self, x):
        return x + self.weight[:x.size(1)]


def make_model(name):
    if name == "lstm":
        return nn.Sequential(nn.Flatten(1, 2), LstmOutput(28, 128, batch_first=True), LastStep(), nn.Linear(128, 10))
    layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, dropout=0.1, activation="relu",
                                       batch_first=True, norm_first=True)
    encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(64), enable_nested_tensor=False)
    return nn.Sequential(nn.Flatten(1, 2), nn.Linear(28, 64), LearnedPositionalEncoding(28, 64), encoder,
                         MeanStep(), nn.Linear(64, 10))


def load(data):
    xtr, ytr, xte, yte = common.load_dataset(data)
    Xtr = torch.from_numpy(xtr).unsqueeze(1).double().div_(255.0)   # [N, 1, 28, 28]
    Xte = torch.from_numpy(xte).unsqueeze(1).double().div_(255.0)
    mean, std = Xtr.mean().item(), Xtr.std(unbiased=False).item()   # one channel: over all training pixels
    Xtr = ((Xtr - mean) / std).float()
    Xte = ((Xte - mean) / std).float()
    return Xtr, torch.from_numpy(ytr), Xte, torch.from_numpy(yte), mean, std


def evaluate(model, X, Y, batch_size=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, X.shape[0], batch_size):
            correct += (model(X[i:i + batch_size]).argmax(1) == Y[i:i + batch_size]).sum().item()
    return correct / X.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["lstm", "transformer"], required=True)
    ap.add_argument("--data", choices=["fashion", "mnist-sample"], default="fashion")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2, help="0 = leave torch/OpenBLAS defaults")
    ap.add_argument("--blas-threads", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-batches", type=int, default=0, help="stop each epoch after this many batches (smoke runs); 0 = all")
    ap.add_argument("--json", default=None, help="append a JSON summary line here")
    args = ap.parse_args()

    common.set_threads(args.threads, args.blas_threads)
    torch.manual_seed(args.seed)
    print(f"torch {torch.__version__} | {common.thread_info()} | args {vars(args)}", flush=True)
    Xtr, Ytr, Xte, Yte, mean, std = load(args.data)
    print(f"data {args.data}: train {tuple(Xtr.shape)} test {tuple(Xte.shape)}, normalize mean {mean:.4f} std {std:.4f}", flush=True)

    model = make_model(args.model)
    print(model, flush=True)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(args.seed)

    n = Xtr.shape[0]
    epoch_s, losses, accs = [], [], []
    for ep in range(1, args.epochs + 1):
        model.train()
        probe = common.CpuProbe()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        total, seen = torch.zeros(()), 0
        for bi, i in enumerate(range(0, n, args.batch_size)):
            if args.max_batches and bi >= args.max_batches:
                break
            idx = perm[i:i + args.batch_size]
            loss = loss_fn(model(Xtr[idx]), Ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach() * len(idx)
            seen += len(idx)
            if bi % 200 == 0:
                print(f"  ep {ep} batch {bi} loss {loss.item():.4f} t={time.perf_counter() - t0:.1f}s", flush=True)
        dt = time.perf_counter() - t0
        p = probe.stop()
        t1 = time.perf_counter()
        acc = evaluate(model, Xte, Yte)
        eval_s = time.perf_counter() - t1
        epoch_s.append(dt)
        losses.append(total.item() / seen)
        accs.append(acc)
        print(f"epoch {ep}: train {dt:.2f}s (cpu {p['my_cpu_s']:.2f}s) train_loss {losses[-1]:.4f} "
              f"[{common.fmt_probe(p)}] | eval {eval_s:.2f}s test_acc {acc * 100:.2f}%", flush=True)

    summary = {"script": "seq_models.py", "model": args.model, "data": args.data, "threads": args.threads,
               "seed": args.seed, "epochs": len(epoch_s), "max_batches": args.max_batches,
               "epoch_s": [round(t, 2) for t in epoch_s], "train_loss": [round(v, 4) for v in losses],
               "test_acc": [round(a, 4) for a in accs], "final_test_acc": round(accs[-1], 4),
               "normalize": [round(mean, 6), round(std, 6)], "peak_rss_mib": round(common.peak_rss_mib(), 1)}
    print("JSON " + json.dumps(summary), flush=True)
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(summary) + "\n")


if __name__ == "__main__":
    main()
