"""Golden values for the op-table entries of the fused convolution and max-pooling primitives (Convolution.conv2d as
F.conv2d with one group, and with a ReLU and max pooling after it, Pooling.maxPool2d as F.max_pool2d). Files golden/ops/conv2d_fused*.json and maxpool2d_fused.json follow ops.py's format (in0 = x, in1 = weight, in2 = bias, out, gout,
grad0..grad2, meta.diff).
Run: /usr/bin/python3 tools/goldens/ops_convperf.py
"""
import zlib

import torch
import torch.nn.functional as F

from common import save


def seeded(name):
    return torch.Generator().manual_seed(zlib.crc32(name.encode()))


def conv_case(name, x_shape, w_shape, bias, relu=False, pool=None, **kw):
    g = seeded(name)
    x = torch.randn(x_shape, generator=g).requires_grad_(True)
    w = (torch.randn(w_shape, generator=g) * 0.5).requires_grad_(True)
    ins = [x, w]
    if bias:
        ins.append((torch.randn(w_shape[0], generator=g) * 0.5).requires_grad_(True))
    out = F.conv2d(*ins, **kw)
    if relu:
        out = F.relu(out)
    if pool:
        out = F.max_pool2d(out, **pool)
    gout = torch.randn(out.shape, generator=g)
    out.backward(gout)
    tensors = {"out": out, "gout": gout}
    for i, t in enumerate(ins):
        tensors["in%d" % i] = t
        tensors["grad%d" % i] = t.grad
    save("ops", name, tensors, {"diff": list(range(len(ins)))})


def pool_case(name, x_shape, **kw):
    g = seeded(name)
    x = torch.randn(x_shape, generator=g).requires_grad_(True)
    out = F.max_pool2d(x, **kw)
    gout = torch.randn(out.shape, generator=g)
    out.backward(gout)
    save("ops", name, {"in0": x, "out": out, "gout": gout, "grad0": x.grad}, {"diff": [0]})


def run():
    # Window2d.of("conv2d", 2, 5, 4, 3, 2, 2, 1, 1, 1, 0, 0, 1, 2) in Java
    conv_case("conv2d_fused", (2, 2, 5, 4), (4, 2, 3, 2), True, stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    # Window2d.of("maxPool2d", 1, 5, 6, 3, 2, 2, 1, 1, 1, 0, 0, 1, 2) in Java
    pool_case("maxpool2d_fused", (2, 2, 5, 6), kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    conv_case("conv2d_fused_no_bias", (2, 2, 3, 4), (2, 2, 3, 3), False, padding=1)
    # Convolution.conv2d(..., relu = true), the Conv2d + ReLU that Sequential fuses, over conv2d_fused's window
    conv_case("conv2d_fused_relu", (2, 2, 5, 4), (4, 2, 3, 2), True, relu=True, stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    # Convolution.conv2d(..., true, pool), Conv2d + ReLU + MaxPool2d fused: a 5x6 output, 2x2 windows at stride (2, 1)
    conv_case("conv2d_fused_relu_maxpool", (2, 3, 7, 8), (4, 3, 3, 3), True, relu=True, pool={"kernel_size": 2, "stride": (2, 1)})


if __name__ == "__main__":
    run()
