"""Golden values for dev.nn4j.optim and dev.nn4j.optim.schedule, recorded from PyTorch 1.13 (single-tensor,
foreach=False optimizers): parameter trajectories of a small linear regression, learning-rate sequences of the
schedules, gradient clipping and L1/L2 penalties.

Run: /usr/bin/python3 tools/goldens/optim.py   (writes nn4j-core/src/test/resources/golden/optim/)
"""
import math

import torch

from common import save

AREA = "optim"
STEPS = 12


def regression_data():
    g = torch.Generator().manual_seed(1234)
    x = torch.randn(6, 4, generator=g)
    y = torch.randn(6, 3, generator=g)
    w0 = torch.randn(3, 4, generator=g) * 0.5
    b0 = torch.randn(3, generator=g) * 0.5
    return x, y, w0, b0


def trajectory(name, make, groups=False):
    """Runs STEPS optimizer steps on mean((x Wᵀ + b − y)²) and records W and b after every step."""
    x, y, w0, b0 = regression_data()
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    opt = make([{"params": [w]}, {"params": [b]}] if groups else [w, b])
    ws, bs, losses = [], [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((x @ w.t() + b - y) ** 2).mean()
        loss.backward()
        losses.append(loss.detach().clone())
        opt.step()
        ws.append(w.detach().clone())
        bs.append(b.detach().clone())
    save(AREA, name, {"x": x, "y": y, "w0": w0, "b0": b0, "w": torch.stack(ws), "b": torch.stack(bs),
                      "loss": torch.stack(losses)}, {"optimizer": repr(opt)})


def optimizers():
    O = torch.optim
    trajectory("sgd_plain", lambda p: O.SGD(p, lr=0.1, foreach=False))
    trajectory("sgd_momentum_dampening_wd", lambda p: O.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01, foreach=False))
    trajectory("sgd_nesterov", lambda p: O.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001, foreach=False))
    trajectory("sgd_maximize", lambda p: O.SGD(p, lr=0.01, momentum=0.5, maximize=True, foreach=False))
    trajectory("sgd_groups", lambda p: O.SGD([p[0], dict(p[1], lr=0.01, momentum=0.5)], lr=0.1, momentum=0.9, foreach=False), groups=True)
    trajectory("adam_default", lambda p: O.Adam(p, lr=0.01, foreach=False))
    trajectory("adam_wd_amsgrad", lambda p: O.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True, foreach=False))
    trajectory("adam_groups", lambda p: O.Adam([p[0], dict(p[1], lr=0.05, betas=(0.5, 0.9))], lr=0.01, foreach=False), groups=True)
    trajectory("adamw_default", lambda p: O.AdamW(p, lr=0.01, foreach=False))
    trajectory("adamw_amsgrad", lambda p: O.AdamW(p, lr=0.02, betas=(0.85, 0.995), weight_decay=0.05, amsgrad=True, foreach=False))
    trajectory("rmsprop_default", lambda p: O.RMSprop(p, lr=0.01, foreach=False))
    trajectory("rmsprop_centered_momentum_wd", lambda p: O.RMSprop(p, lr=0.005, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.8, centered=True, foreach=False))
    trajectory("rmsprop_momentum", lambda p: O.RMSprop(p, lr=0.01, momentum=0.5, foreach=False))
    trajectory("adagrad_default", lambda p: O.Adagrad(p, lr=0.1, foreach=False))
    trajectory("adagrad_decay_wd_init", lambda p: O.Adagrad(p, lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8, foreach=False))


def schedule(name, make_opt, make_sched, steps=40, momentum=None, metrics=None):
    """Learning rates (and momentum) of each group after construction and after each of `steps` − 1 steps."""
    params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    opt = make_opt([{"params": [params[0]], "lr": 0.1}, {"params": [params[1]], "lr": 0.02}])
    sched = make_sched(opt)
    lrs = [[g["lr"] for g in opt.param_groups]]
    moms = [[momentum(g) for g in opt.param_groups]] if momentum else []
    for i in range(steps - 1):
        opt.step()
        if metrics is not None:
            sched.step(float(metrics[i]))
        else:
            sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
        if momentum:
            moms.append([momentum(g) for g in opt.param_groups])
    tensors = {"lr": torch.tensor(lrs, dtype=torch.float64)}
    if momentum:
        tensors["momentum"] = torch.tensor(moms, dtype=torch.float64)
    if metrics is not None:
        tensors["metrics"] = metrics
    save(AREA, "schedule_" + name, tensors)


def schedules():
    S = torch.optim.lr_scheduler
    sgd = lambda groups: torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    adam = lambda groups: torch.optim.Adam(groups, lr=0.1)
    schedule("step", sgd, lambda o: S.StepLR(o, step_size=7, gamma=0.5))
    schedule("multistep", sgd, lambda o: S.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3))
    schedule("exponential", sgd, lambda o: S.ExponentialLR(o, gamma=0.9))
    schedule("cosine_eta_min", sgd, lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001), steps=45)
    schedule("cosine", sgd, lambda o: S.CosineAnnealingLR(o, T_max=15))
    schedule("linear_warmup", sgd, lambda o: S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=8), steps=32)
    schedule("linear_decay", sgd, lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=10), steps=32)
    schedule("onecycle_cos_sgd", sgd, lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=40), momentum=lambda g: g["momentum"])
    schedule("onecycle_linear_three_phase_adam", adam,
             lambda o: S.OneCycleLR(o, max_lr=[0.3, 0.1], total_steps=40, pct_start=0.25, anneal_strategy="linear",
                                    three_phase=True, base_momentum=0.8, max_momentum=0.9, div_factor=10.0, final_div_factor=100.0),
             momentum=lambda g: g["betas"][0])
    g = torch.Generator().manual_seed(99)
    # a noisy loss that improves, plateaus, improves a little, plateaus (float32 values)
    loss = torch.cat([torch.linspace(2.0, 1.0, 8), torch.full((10,), 1.0), torch.linspace(0.999, 0.95, 6), torch.full((16,), 0.96)])
    loss = (loss + 0.003 * torch.randn(40, generator=g)).float()
    schedule("plateau_min_rel", sgd, lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.004),
             steps=41, metrics=loss)
    acc = torch.cat([torch.linspace(0.5, 0.8, 10), torch.full((10,), 0.8), torch.linspace(0.81, 0.9, 5), torch.full((15,), 0.9)])
    acc = (acc + 0.01 * torch.randn(40, generator=g)).float()
    schedule("plateau_max_abs", sgd, lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.3, patience=1, threshold=0.02, threshold_mode="abs", min_lr=[0.01, 0.001]),
             steps=41, metrics=acc)


def clipping():
    g = torch.Generator().manual_seed(7)
    g1 = torch.randn(3, 4, generator=g)
    g2 = torch.randn(5, generator=g) * 3
    out = {"g1": g1, "g2": g2}
    for label, norm_type, max_norm in [("l2", 2.0, 1.0), ("l1", 1.0, 2.0), ("p3_5", 3.5, 0.5), ("inf", math.inf, 0.7), ("l2_noclip", 2.0, 100.0)]:
        p1, p2 = torch.zeros(3, 4, requires_grad=True), torch.zeros(5, requires_grad=True)
        p1.grad, p2.grad = g1.clone(), g2.clone()
        total = torch.nn.utils.clip_grad_norm_([p1, p2], max_norm, norm_type)
        out[label + ".total"] = total
        out[label + ".g1"] = p1.grad
        out[label + ".g2"] = p2.grad
    p1, p2 = torch.zeros(3, 4, requires_grad=True), torch.zeros(5, requires_grad=True)
    p1.grad, p2.grad = g1.clone(), g2.clone()
    torch.nn.utils.clip_grad_value_([p1, p2], 0.8)
    out["value.g1"], out["value.g2"] = p1.grad, p2.grad
    save(AREA, "clip_grad", out)


def penalties():
    g = torch.Generator().manual_seed(11)
    a = torch.randn(3, 4, generator=g).requires_grad_(True)
    b = torch.tensor([0.5, -1.5, 0.0, 2.0], requires_grad=True)
    out = {"a": a.detach().clone(), "b": b.detach().clone()}
    for label, fn in [("l1", lambda: 0.3 * (a.abs().sum() + b.abs().sum())), ("l2", lambda: 0.3 * (a.pow(2).sum() + b.pow(2).sum()))]:
        a.grad, b.grad = None, None
        v = fn()
        v.backward()
        out[label + ".value"] = v.detach()
        out[label + ".grad_a"] = a.grad.clone()
        out[label + ".grad_b"] = b.grad.clone()
    save(AREA, "penalties", out, {"lambda": 0.3})


if __name__ == "__main__":
    optimizers()
    schedules()
    clipping()
    penalties()
