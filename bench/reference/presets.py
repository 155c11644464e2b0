#!/usr/bin/python3
"""PyTorch references for nn4j's `nn4j train --model cnn|lenet5|lstm|transformer` presets, with nn4j's recipe:
inputs /255 then normalized with the training split's mean and (population) standard deviation, as nn4j's default
`--preprocess normalize` and torchvision's Normalize in PyTorch's MNIST example; CrossEntropyLoss on logits,
Adam lr 1e-3 (constant, or --schedule cosine as nn4j's), batch 64, shuffled with a seeded randperm over a preloaded float tensor, evaluation on the test split.

  cnn          Conv2d(1,32,3)-ReLU-Conv2d(32,64,3)-ReLU-MaxPool2d(2)-Dropout(0.25)-Flatten-Linear(9216,128)-ReLU-
               Dropout(0.5)-Linear(128,10)   (pytorch/examples mnist/main.py)
  lenet5       Conv2d(1,6,5,padding=2)-ReLU-MaxPool2d(2)-Conv2d(6,16,5)-ReLU-MaxPool2d(2)-Flatten-Linear(400,120)-ReLU-
               Linear(120,84)-ReLU-Linear(84,10)
  lstm         rows as 28 steps of 28 features: LSTM(28,128,batch_first) -> last step -> Linear(128,10)
  transformer  Linear(28,64) + learned positions [28,64] (init N(0, 0.02^2)) -> TransformerEncoder(2 layers, d_model 64,
               4 heads, feed-forward 128, dropout 0.1, relu, batch_first, norm_first, final LayerNorm) -> mean over
               steps -> Linear(64,10)

--data mnist-sample reads the 10,000 digits embedded in nn4j's jar and splits them as nn4j does (first 8,000 train,
last 2,000 test); --data fashion reads /usr/share/datasets/fashion-mnist (see common.py).
Run: /usr/bin/python3 bench/reference/presets.py --model cnn --data fashion --epochs 3
"""
import argparse
import time

import torch
from torch import nn

import common


class LastStep(nn.Module):
    """nn4j's SequencePool("last") after a batch-first LSTM: out[:, -1]."""

    def __init__(self, lstm):
        super().__init__()
        self.lstm = lstm

    def forward(self, x):
        return self.lstm(x)[0][:, -1]


class TransformerClassifier(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.embed = nn.Linear(28, 64)
        self.pos = nn.Parameter(torch.randn(28, 64) * 0.02)
        layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, dropout=0.1, activation="relu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(64))
        self.head = nn.Linear(64, classes)

    def forward(self, x):
        return self.head(self.encoder(self.embed(x) + self.pos).mean(1))


def make_net(name, classes=10):
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
                             nn.Linear(128, classes))
    if name == "lenet5":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                             nn.Linear(84, classes))
    if name == "lstm":
        return nn.Sequential(nn.Flatten(1, 2), LastStep(nn.LSTM(28, 128, batch_first=True)), nn.Linear(128, classes))
    if name == "transformer":
        return nn.Sequential(nn.Flatten(1, 2), TransformerClassifier(classes))
    raise ValueError(name)




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["cnn", "lenet5", "lstm", "transformer"], default="cnn")
    ap.add_argument("--data", choices=["fashion", "mnist-sample"], default="fashion")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--schedule", choices=["none", "cosine"], default="none",
                    help="cosine: CosineAnnealingLR to 0 over all batches, stepped every batch (nn4j's --schedule cosine)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--blas-threads", type=int, default=None)
    ap.add_argument("--limit-train", type=int, default=None, help="first N training examples only (smoke runs)")
    ap.add_argument("--json", default=None, help="append a JSON summary line here")
    args = ap.parse_args()

    common.set_threads(args.threads, args.blas_threads)
    torch.manual_seed(args.seed)
    print(f"torch {torch.__version__} | {common.thread_info()} | args {vars(args)}", flush=True)

    xtr, ytr, xte, yte = common.load_dataset(args.data)
    if args.limit_train:
        xtr, ytr = xtr[:args.limit_train], ytr[:args.limit_train]
    Xtr = torch.from_numpy(xtr).unsqueeze(1).float().div_(255.0)  # [N, 1, 28, 28]
    Xte = torch.from_numpy(xte).unsqueeze(1).float().div_(255.0)
    Ytr, Yte = torch.from_numpy(ytr), torch.from_numpy(yte)
    # nn4j's normalize: one channel, population mean and std of the training images, floored at 1e-3
    mean, std = Xtr.mean().item(), max(Xtr.std(unbiased=False).item(), 1e-3)
    Xtr, Xte = (Xtr - mean) / std, (Xte - mean) / std
    print(f"data {args.data}: train {tuple(Xtr.shape)} test {tuple(Xte.shape)}, normalize mean {mean:.6f} std {std:.6f}", flush=True)

    model = make_net(args.model)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n = Xtr.shape[0]
    steps = args.epochs * ((n + args.batch_size - 1) // args.batch_size)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps) if args.schedule == "cosine" else None
    gen = torch.Generator().manual_seed(args.seed)
    print(f"{args.model}: {sum(p.numel() for p in model.parameters()):,} parameters", flush=True)

    epoch_s, acc, test_loss = [], None, None
    for ep in range(1, args.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        total = torch.zeros(())
        for i in range(0, n, args.batch_size):
            idx = perm[i:i + args.batch_size]
            loss = loss_fn(model(Xtr[idx]), Ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.detach() * len(idx)
        epoch_s.append(time.perf_counter() - t0)
        acc, test_loss = common.evaluate(model, Xte, Yte, loss_fn)
        print(f"epoch {ep:2d}: train {epoch_s[-1]:7.2f}s  train_loss {total.item() / n:.4f}  "
              f"test_acc {acc * 100:.2f}%  test_loss {test_loss:.4f}", flush=True)

    summary = {"script": "presets.py", "model": args.model, "data": args.data, "epochs": args.epochs,
               "threads": args.threads, "seed": args.seed, "schedule": args.schedule, "limit_train": args.limit_train,
               "epoch_s": [round(t, 3) for t in epoch_s], "mean_epoch_s": round(sum(epoch_s) / len(epoch_s), 3),
               "final_test_acc": round(acc, 4), "final_test_loss": round(test_loss, 4)}
    common.emit(summary, args.json)


if __name__ == "__main__":
    main()
