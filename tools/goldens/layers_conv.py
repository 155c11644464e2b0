"""Golden values for the convolution and pooling layers (Conv2d, Conv1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d)
and for the op-table entries of their primitives (Patches.unfold / fold, as F.unfold / F.fold).

Layer files golden/layers/conv_<case>.json hold the input `x`, the parameters by state-dict name (`weight`,
`bias`), the output `out`, a random upstream gradient `gout`, and `grad_x`, `grad_weight`, `grad_bias` of
out.backward(gout); meta holds the constructor arguments. Op files golden/ops/unfold2d*.json, fold2d.json follow
ops.py's format (in0, out, gout, grad0, meta.diff).
Run: /usr/bin/python3 tools/goldens/layers_conv.py
"""
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import save


def seeded(name):
    return torch.Generator().manual_seed(zlib.crc32(name.encode()))


def layer_case(name, module, x_shape, meta):
    g = seeded(name)
    for p in module.parameters():           # small, seeded parameters independent of torch's global RNG
        with torch.no_grad():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    x = torch.randn(x_shape, generator=g).requires_grad_(True)
    out = module(x)
    gout = torch.randn(out.shape, generator=g)
    out.backward(gout)
    tensors = {"x": x, "out": out, "gout": gout, "grad_x": x.grad}
    for pname, p in module.named_parameters():
        tensors[pname] = p
        tensors["grad_" + pname] = p.grad
    save("layers", "conv_" + name, tensors, meta)


def op_case(name, fn, in_shape):
    g = seeded(name)
    x = torch.randn(in_shape, generator=g).requires_grad_(True)
    out = fn(x)
    gout = torch.randn(out.shape, generator=g)
    out.backward(gout)
    save("ops", name, {"in0": x, "out": out, "gout": gout, "grad0": x.grad}, {"diff": [0]})


def run():
    layer_case("conv2d_padded", nn.Conv2d(3, 4, 3, stride=1, padding=1), (2, 3, 5, 5),
               {"in": 3, "out": 4, "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "groups": 1})
    layer_case("conv2d_strided_dilated_grouped",
               nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2), (2, 4, 7, 6),
               {"in": 4, "out": 6, "kernel": [3, 2], "stride": [2, 1], "padding": [1, 0], "dilation": [1, 2], "groups": 2})
    layer_case("conv2d_same_even_kernel_no_bias",
               nn.Conv2d(2, 3, (4, 2), padding="same", dilation=(1, 3), bias=False), (1, 2, 5, 7),
               {"in": 2, "out": 3, "kernel": [4, 2], "padding": "same", "dilation": [1, 3], "bias": False})
    layer_case("conv2d_depthwise", nn.Conv2d(3, 6, 3, stride=2, padding=1, groups=3), (1, 3, 6, 6),
               {"in": 3, "out": 6, "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "groups": 3})
    layer_case("conv1d", nn.Conv1d(3, 4, 3, stride=2, padding=2, dilation=2), (2, 3, 9),
               {"in": 3, "out": 4, "kernel": 3, "stride": 2, "padding": 2, "dilation": 2, "groups": 1})
    layer_case("conv1d_same_grouped", nn.Conv1d(4, 2, 4, padding="same", groups=2), (2, 4, 6),
               {"in": 4, "out": 2, "kernel": 4, "padding": "same", "groups": 2})
    layer_case("maxpool2d", nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 6, 5), {"kernel": 3, "stride": 2, "padding": 1})
    layer_case("maxpool2d_rect_dilated", nn.MaxPool2d((2, 3), stride=(1, 2), padding=(1, 0), dilation=(2, 1)), (1, 2, 5, 7),
               {"kernel": [2, 3], "stride": [1, 2], "padding": [1, 0], "dilation": [2, 1]})
    layer_case("avgpool2d", nn.AvgPool2d(3, stride=2, padding=1), (2, 2, 6, 5), {"kernel": 3, "stride": 2, "padding": 1})
    layer_case("avgpool2d_exclude_pad", nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 1), count_include_pad=False),
               (1, 2, 5, 4), {"kernel": [3, 2], "stride": [2, 1], "padding": [1, 1], "count_include_pad": False})
    layer_case("adaptive_avgpool2d", nn.AdaptiveAvgPool2d((3, 2)), (2, 2, 7, 5), {"output_size": [3, 2]})
    layer_case("adaptive_avgpool2d_upsampling", nn.AdaptiveAvgPool2d(4), (1, 1, 3, 3), {"output_size": [4, 4]})

    op_case("unfold2d", lambda x: F.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), (2, 2, 4, 5))
    op_case("unfold2d_1x1", lambda x: F.unfold(x, 1), (1, 3, 2, 3))
    op_case("fold2d", lambda x: F.fold(x, (4, 5), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), (2, 12, 9))


if __name__ == "__main__":
    run()
