"""Golden values for dev.nn4j.nn layers and dev.nn4j.nn.init, recorded from PyTorch 1.13.

Each layer case builds the torch module with a seed and saves its state dict under PyTorch's names
(weight, 0.bias, block.0.weight, ...), the input, the output, a random upstream gradient `upstream`, and the
gradients after output.backward(upstream): `grad.input` and `grad.<param name>`.
Run: /usr/bin/python3 tools/goldens/layers.py
"""
import torch
import torch.nn as nn

from common import save


def away_from_zero(x):
    """Keeps inputs at least 0.1 from the kinks of ReLU-like functions."""
    return x + 0.1 * torch.sign(x)


def record(name, module, input_shape, seed, kinks=False, meta=None):
    torch.manual_seed(seed)
    x = torch.randn(*input_shape)
    if kinks:
        x = away_from_zero(x)
    x.requires_grad_(True)
    y = module(x)
    upstream = torch.randn(*y.shape)
    y.backward(upstream)
    tensors = {k: v for k, v in module.state_dict().items()}
    tensors.update({"input": x, "output": y, "upstream": upstream, "grad.input": x.grad})
    for k, p in module.named_parameters():
        tensors["grad." + k] = p.grad
    save("layers", name, tensors, dict(meta or {}, repr=repr(module)))


class Net(nn.Module):
    """A custom module with named children and a nested Sequential (names fc1.*, block.0.*, block.2.*, head.*)."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 5)
        self.block = nn.Sequential(nn.Linear(5, 4), nn.GELU(), nn.Dropout(0.3), nn.Linear(4, 4, bias=False))
        self.head = nn.Linear(4, 3)

    def forward(self, x):
        return self.head(self.block(torch.tanh(self.fc1(x))))


def layers():
    torch.manual_seed(1)
    record("linear", nn.Linear(5, 3), (4, 5), 11)
    torch.manual_seed(2)
    record("linear_rank3_nobias", nn.Linear(5, 3, bias=False), (2, 3, 5), 12)
    torch.manual_seed(3)
    record("linear_rank1", nn.Linear(5, 3), (5,), 13)
    torch.manual_seed(4)
    record("sequential_mlp", nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 4), nn.Tanh()), (3, 6), 14, kinks=True)
    torch.manual_seed(5)
    net = Net().eval()  # eval: the Dropout inside is the identity, so the values are deterministic
    record("net_eval", net, (2, 6), 15)
    record("flatten", nn.Flatten(), (2, 3, 2, 2), 16)
    record("flatten_0_2", nn.Flatten(0, 2), (2, 3, 2, 2), 17)
    record("identity", nn.Identity(), (3, 4), 18)
    record("dropout_eval", nn.Dropout(0.4).eval(), (3, 4), 19)
    record("relu", nn.ReLU(), (3, 5), 20, kinks=True)
    record("leaky_relu", nn.LeakyReLU(0.2), (3, 5), 21, kinks=True, meta={"negative_slope": 0.2})
    record("leaky_relu_default", nn.LeakyReLU(), (3, 5), 22, kinks=True)
    record("elu", nn.ELU(alpha=0.7), (3, 5), 23, kinks=True, meta={"alpha": 0.7})
    record("gelu", nn.GELU(), (3, 5), 24)
    record("gelu_tanh", nn.GELU(approximate="tanh"), (3, 5), 25)
    record("silu", nn.SiLU(), (3, 5), 26)
    record("sigmoid", nn.Sigmoid(), (3, 5), 27)
    record("tanh", nn.Tanh(), (3, 5), 28)
    record("softmax_dim1", nn.Softmax(dim=1), (3, 5), 29)
    record("softmax_dim0_rank3", nn.Softmax(dim=0), (3, 2, 4), 30)
    record("log_softmax_last", nn.LogSoftmax(dim=-1), (2, 3, 4), 31)


NONLINEARITIES = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]


def init():
    gains = [nn.init.calculate_gain(n) for n in NONLINEARITIES]
    slopes = [0.0, 0.2, 5 ** 0.5, 1.0]
    leaky = [nn.init.calculate_gain("leaky_relu", a) for a in slopes]
    shapes = [[3, 4], [8, 3, 5, 5], [6, 2, 7], [2, 3, 2, 2, 2]]
    fans = [list(nn.init._calculate_fan_in_and_fan_out(torch.empty(*s))) for s in shapes]
    save("layers", "init_gains",
         {"gains": torch.tensor(gains, dtype=torch.float64), "leaky_relu_gains": torch.tensor(leaky, dtype=torch.float64),
          "leaky_relu_slopes": torch.tensor(slopes, dtype=torch.float64)},
         {"nonlinearities": NONLINEARITIES, "fan_shapes": shapes, "fans": fans})


if __name__ == "__main__":
    layers()
    init()
