"""Golden values for the normalisation and embedding layers of dev.nn4j.nn (LayerNorm, BatchNorm1d/2d, GroupNorm,
Embedding), recorded from PyTorch 1.13 into golden/layers/norm_*.json.

Each case saves the module's state dict under PyTorch's names (weight, bias, running_mean, ...), the input, the
output, a random upstream gradient `upstream`, and the gradients after output.backward(upstream): `grad.input`
and `grad.<param name>`. BatchNorm cases first run a few training steps on `step0`, `step1`, ... (recording the
state dict before them as `init.<name>` and after them under the plain names), then a training-mode forward and
backward on `input`, then an eval-mode forward on `eval_input` (`eval_output`).
Run: /usr/bin/python3 tools/goldens/layers_norm.py
"""
import torch
import torch.nn as nn

from common import save


def randomise_affine(module):
    """Non-trivial weight and bias so that the affine part is exercised."""
    with torch.no_grad():
        if getattr(module, "weight", None) is not None:
            module.weight.copy_(1 + 0.5 * torch.randn_like(module.weight))
        if getattr(module, "bias", None) is not None:
            module.bias.copy_(0.5 * torch.randn_like(module.bias))


def forward_backward(module, x, tensors):
    x = x.clone().requires_grad_(True)
    y = module(x)
    upstream = torch.randn(*y.shape)
    y.backward(upstream)
    tensors.update({"input": x, "output": y, "upstream": upstream, "grad.input": x.grad})
    for k, p in module.named_parameters():
        tensors["grad." + k] = p.grad
    return tensors


def record(name, module, input_shape, seed, meta=None):
    torch.manual_seed(seed)
    randomise_affine(module)
    tensors = dict(module.state_dict())
    x = 2 * torch.randn(*input_shape) + 0.5
    forward_backward(module, x, tensors)
    save("layers", "norm_" + name, tensors, dict(meta or {}, repr=repr(module)))


def record_batch_norm(name, module, input_shape, seed, steps=3, meta=None):
    torch.manual_seed(seed)
    randomise_affine(module)
    tensors = {"init." + k: v.clone() for k, v in module.state_dict().items()}
    module.train()
    for i in range(steps):
        xi = 3 * torch.randn(*input_shape) + 1.5
        tensors["step%d" % i] = xi
        module(xi)
    tensors.update({k: v.clone() for k, v in module.state_dict().items()})
    x = 2 * torch.randn(*input_shape) - 0.5
    forward_backward(module, x, tensors)
    # the training forward on `input` updated the running stats once more
    tensors.update({"after." + k: v.clone() for k, v in module.state_dict().items()})
    module.eval()
    xe = torch.randn(*input_shape)
    tensors["eval_input"] = xe
    tensors["eval_output"] = module(xe)
    save("layers", "norm_" + name, tensors, dict(meta or {}, steps=steps, repr=repr(module)))


record("layer_norm", nn.LayerNorm(4), (2, 3, 4), 1)
record("layer_norm_2d", nn.LayerNorm([3, 4], eps=1e-3), (2, 3, 4), 2)
record("layer_norm_no_affine", nn.LayerNorm(5, elementwise_affine=False), (3, 5), 3)
record("group_norm", nn.GroupNorm(2, 4), (2, 4, 3), 4)
record("group_norm_2d", nn.GroupNorm(3, 6, eps=1e-3), (2, 6, 2, 2), 5)
record("group_norm_no_affine", nn.GroupNorm(1, 3, affine=False), (2, 3, 4), 6)
record_batch_norm("batch_norm1d", nn.BatchNorm1d(3), (5, 3), 7)
record_batch_norm("batch_norm1d_3d", nn.BatchNorm1d(2, momentum=0.3, eps=1e-3), (3, 2, 4), 8)
record_batch_norm("batch_norm2d", nn.BatchNorm2d(3), (2, 3, 2, 3), 9)
record_batch_norm("batch_norm2d_no_affine", nn.BatchNorm2d(2, affine=False, momentum=0.5), (2, 2, 3, 2), 10)

# Embedding: a weight of N(0, 1) (padding row zero), integer indices stored as floats.
torch.manual_seed(11)
emb = nn.Embedding(6, 3, padding_idx=2)
idx = torch.tensor([[0, 2, 5, 2], [1, 0, 3, 4]])
y = emb(idx)
upstream = torch.randn(*y.shape)
y.backward(upstream)
save("layers", "norm_embedding", {"weight": emb.weight, "input": idx.float(), "output": y, "upstream": upstream,
                                 "grad.weight": emb.weight.grad}, {"repr": repr(emb)})
