"""Golden values for dev.nn4j.loss: every loss and option combination evaluated by PyTorch 1.13, with the
gradient of the input (and of the target where PyTorch gives one). Each case is one file
golden/losses/<case>.json holding input, target, optional weight/posWeight, the upstream gradient used for
reduction='none' (grad.output), loss, grad.input (and grad.target); its meta names the loss and its options.
golden/losses/index.json lists the cases. Run: /usr/bin/python3 tools/goldens/losses.py
"""
import torch
import torch.nn as nn

import common

torch.manual_seed(13)
AREA = "losses"
CASES = []


def record(name, module, meta, x, y, tensors=None, target_grad=False, input_grad=True):
    """Evaluates module(x, y), back-propagates a fixed upstream gradient and saves one case."""
    x = x.clone().requires_grad_(input_grad)
    y = y.clone().requires_grad_(target_grad)
    out = module(x, y)
    t = {"input": x, "target": y}
    t.update(tensors or {})
    t["loss"] = out
    if input_grad or target_grad:
        gout = torch.rand(out.shape) + 0.5 if out.dim() > 0 else torch.ones(())
        if out.dim() > 0:
            t["grad.output"] = gout
        out.backward(gout)
        if input_grad:
            t["grad.input"] = x.grad
        if target_grad:
            t["grad.target"] = y.grad
    common.save(AREA, name, t, meta)
    CASES.append(name)


REDUCTIONS = ["mean", "sum", "none"]

# ---------------------------------------------------------------- cross-entropy and NLL, class indices

def class_cases(prefix, loss, make_input):
    """All option combinations of a class-index loss on [4, 3] rows, a spatial [2, 3, 2, 2] input and an unbatched [3]."""
    x = make_input(4, 3)
    y = torch.tensor([2., 0., 1., 2.])
    y_ign = torch.tensor([2., -100., 1., 0.])
    y_ign1 = torch.tensor([2., 1., 0., 1.])  # ignoreIndex 1, inside [0, C)
    w = torch.tensor([0.2, 1.0, 2.5])
    smoothing = [0.0, 0.1] if loss == "CrossEntropyLoss" else [0.0]
    for red in REDUCTIONS:
        for ls in smoothing:
            for weighted in (False, True):
                for ignore, target in ((-100, y), (-100, y_ign), (1, y_ign1)):
                    kw = {"reduction": red, "ignore_index": ignore}
                    if ls:
                        kw["label_smoothing"] = ls
                    tensors = {}
                    if weighted:
                        kw["weight"] = w
                        tensors["weight"] = w
                    tag = "ign%d" % ignore if ignore != -100 else ("ign" if (target == -100).any() else "plain")
                    name = "%s_idx_%s%s%s_%s" % (prefix, "w_" if weighted else "", "ls_" if ls else "", tag, red)
                    meta = {"loss": loss, "reduction": red, "ignoreIndex": ignore, "labelSmoothing": ls}
                    record(name, getattr(nn, loss)(**kw), meta, x, target.long(), tensors)
    # spatial: input [N, C, d1, d2], target [N, d1, d2]
    xs = make_input(2, 3, 2, 2)
    ys = torch.tensor([[[0., 2.], [1., -100.]], [[2., 2.], [0., 1.]]])
    for red in ("mean", "none"):
        ls = 0.2 if loss == "CrossEntropyLoss" else 0.0
        kw = {"reduction": red, "weight": w}
        if ls:
            kw["label_smoothing"] = ls
        record("%s_spatial_w_ign_%s" % (prefix, red), getattr(nn, loss)(**kw),
               {"loss": loss, "reduction": red, "ignoreIndex": -100, "labelSmoothing": ls}, xs, ys.long(), {"weight": w})
    # unbatched: input [C], target []
    record("%s_unbatched_mean" % prefix, getattr(nn, loss)(), {"loss": loss, "reduction": "mean", "ignoreIndex": -100,
           "labelSmoothing": 0.0}, make_input(3), torch.tensor(1))
    # every target ignored: the weighted mean is 0/0 = NaN, the gradient 0
    record("%s_all_ignored_mean" % prefix, getattr(nn, loss)(), {"loss": loss, "reduction": "mean", "ignoreIndex": -100,
           "labelSmoothing": 0.0}, make_input(2, 3), torch.tensor([-100, -100]))


def logits(*shape):
    return torch.randn(*shape) * 2


def log_probs(*shape):
    return torch.log_softmax(torch.randn(*shape), dim=1 if len(shape) > 1 else 0)


class_cases("ce", "CrossEntropyLoss", logits)
class_cases("nll", "NLLLoss", log_probs)

# ---------------------------------------------------------------- cross-entropy, class probabilities

p = torch.softmax(torch.randn(4, 3), dim=1)
xp = logits(4, 3)
for red in REDUCTIONS:
    for ls in (0.0, 0.1):
        for weighted in (False, True):
            kw = {"reduction": red, "label_smoothing": ls}
            tensors = {}
            if weighted:
                kw["weight"] = tensors["weight"] = torch.tensor([0.2, 1.0, 2.5])
            name = "ce_prob_%s%s%s" % ("w_" if weighted else "", "ls_" if ls else "", red)
            record(name, nn.CrossEntropyLoss(**kw), {"loss": "CrossEntropyLoss", "reduction": red, "ignoreIndex": -100,
                   "labelSmoothing": ls}, xp, p, tensors, target_grad=True)
ps = torch.softmax(torch.randn(2, 3, 2), dim=1)
record("ce_prob_spatial_w_ls_none", nn.CrossEntropyLoss(weight=torch.tensor([1., 2., 3.]), label_smoothing=0.3, reduction="none"),
       {"loss": "CrossEntropyLoss", "reduction": "none", "ignoreIndex": -100, "labelSmoothing": 0.3},
       logits(2, 3, 2), ps, {"weight": torch.tensor([1., 2., 3.])}, target_grad=True)
record("ce_prob_unbatched_sum", nn.CrossEntropyLoss(reduction="sum"),
       {"loss": "CrossEntropyLoss", "reduction": "sum", "ignoreIndex": -100, "labelSmoothing": 0.0},
       logits(3), torch.tensor([0.1, 0.7, 0.2]), target_grad=True)

# ---------------------------------------------------------------- huge logits: stability

huge = torch.tensor([[1e4, 0., -1e4], [-1e4, 1e4, 5e3], [1e4, 1e4, -1e4]])
for red in ("mean", "none"):
    record("ce_huge_idx_%s" % red, nn.CrossEntropyLoss(reduction=red, label_smoothing=0.1),
           {"loss": "CrossEntropyLoss", "reduction": red, "ignoreIndex": -100, "labelSmoothing": 0.1},
           huge, torch.tensor([2, 1, 0]))
record("ce_huge_prob_mean", nn.CrossEntropyLoss(), {"loss": "CrossEntropyLoss", "reduction": "mean", "ignoreIndex": -100,
       "labelSmoothing": 0.0}, huge, torch.tensor([[0.5, 0.5, 0.], [0., 0.2, 0.8], [0.3, 0.3, 0.4]]))
hb = torch.tensor([[1e4, -1e4, 50.], [-50., 0., 1e4]])
tb = torch.tensor([[0., 1., 0.3], [1., 0.5, 0.]])
for red in ("mean", "none"):
    record("bcel_huge_%s" % red, nn.BCEWithLogitsLoss(reduction=red), {"loss": "BCEWithLogitsLoss", "reduction": red}, hb, tb)
pw = torch.tensor([3., 0.5, 2.])
record("bcel_huge_pw_none", nn.BCEWithLogitsLoss(reduction="none", pos_weight=pw), {"loss": "BCEWithLogitsLoss",
       "reduction": "none"}, hb, tb, {"posWeight": pw})

# ---------------------------------------------------------------- regression losses

x = torch.randn(3, 4) * 2
y = torch.randn(3, 4)
y[0, 1] = x[0, 1]  # one zero difference: the L1 subgradient there is 0
for red in REDUCTIONS:
    record("mse_%s" % red, nn.MSELoss(reduction=red), {"loss": "MSELoss", "reduction": red}, x, y, target_grad=True)
    record("l1_%s" % red, nn.L1Loss(reduction=red), {"loss": "L1Loss", "reduction": red}, x, y, target_grad=True)
    for beta in (1.0, 0.5, 0.0):
        record("smoothl1_b%s_%s" % (beta, red), nn.SmoothL1Loss(reduction=red, beta=beta),
               {"loss": "SmoothL1Loss", "reduction": red, "beta": beta}, x, y,
               # at the tie x = y PyTorch's beta = 0 backward gives -1 to the target as well as the input (it swaps the
               # arguments); nn4j's target gradient is the negation, +1, so the target gradient is recorded for beta > 0
               target_grad=beta > 0)
    for delta in (1.0, 2.5):
        record("huber_d%s_%s" % (delta, red), nn.HuberLoss(reduction=red, delta=delta),
               {"loss": "HuberLoss", "reduction": red, "delta": delta}, x, y, target_grad=True)

# ---------------------------------------------------------------- binary cross-entropy

xb = torch.sigmoid(torch.randn(3, 4) * 1.5)
yb_soft = torch.rand(3, 4)
yb_hard = (torch.rand(3, 4) > 0.5).float()
wb_col = torch.tensor([0.5, 1.0, 2.0, 0.1])
wb_full = torch.rand(3, 4) + 0.5
for red in REDUCTIONS:
    for tname, yb in (("soft", yb_soft), ("hard", yb_hard)):
        for wname, w in (("", None), ("wcol_", wb_col), ("wfull_", wb_full)):
            tensors = {"weight": w} if w is not None else {}
            record("bce_%s%s_%s" % (wname, tname, red), nn.BCELoss(weight=w, reduction=red),
                   {"loss": "BCELoss", "reduction": red}, xb, yb, tensors, target_grad=(tname == "soft"))
# inputs at exactly 0 and 1: each log is clamped at -100 (values only; PyTorch's backward there is ±1e12)
record("bce_clamped_none", nn.BCELoss(reduction="none"), {"loss": "BCELoss", "reduction": "none"},
       torch.tensor([0., 1., 0., 1., 1e-30, 0.5]), torch.tensor([1., 0., 0., 1., 1., 0.5]), input_grad=False)

xl = torch.randn(3, 4) * 3
pw4 = torch.tensor([2.0, 0.5, 1.0, 4.0])
for red in REDUCTIONS:
    for wname, w in (("", None), ("w_", wb_full)):
        for pname, pwt in (("", None), ("pw_", pw4)):
            tensors = {}
            if w is not None:
                tensors["weight"] = w
            if pwt is not None:
                tensors["posWeight"] = pwt
            record("bcel_%s%s%s" % (wname, pname, red), nn.BCEWithLogitsLoss(weight=w, pos_weight=pwt, reduction=red),
                   {"loss": "BCEWithLogitsLoss", "reduction": red}, xl, yb_soft, tensors, target_grad=True)

common.save(AREA, "index", {}, {"cases": CASES})
print("wrote %d cases" % len(CASES))
