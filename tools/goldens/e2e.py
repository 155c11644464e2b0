"""End-to-end golden: a seeded 8-16-3 MLP (Linear, ReLU, Linear) trained full-batch with Adam and
cross-entropy for 15 steps in PyTorch 1.13. Records the initial state dict, the data, every step's loss and
the final weights, so nn4j's whole stack (layers, loss, autograd, optimizer) can be compared step by step.
Run: /usr/bin/python3 tools/goldens/e2e.py"""
import torch
from torch import nn

import common

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
x = torch.randn(32, 8)
y = torch.randint(0, 3, (32,))
init = {k: v.clone() for k, v in model.state_dict().items()}
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
losses = []
for _ in range(15):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
tensors = {"x": x, "y": y.float(), "losses": torch.tensor(losses)}
tensors.update({"init." + k: v for k, v in init.items()})
tensors.update({"final." + k: v for k, v in model.state_dict().items()})
common.save("e2e", "mlp_adam_trajectory", tensors, {"lr": 0.01, "steps": 15})
