"""Golden values for Upsample (mode 'nearest') with integer scale factors and target sizes, in 1-D and 2-D.

Files golden/layers/upsample_<case>.json hold the input `x`, the output `out`, a random upstream gradient `gout`
and `grad_x` of out.backward(gout); meta holds the constructor arguments and PyTorch's repr.
Run: /usr/bin/python3 tools/goldens/layers_upsample.py
"""
import zlib

import torch
import torch.nn as nn

from common import save


def case(name, module, x_shape, meta):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    x = torch.randn(x_shape, generator=g).requires_grad_(True)
    out = module(x)
    gout = torch.randn(out.shape, generator=g)
    out.backward(gout)
    save("layers", "upsample_" + name, {"x": x, "out": out, "gout": gout, "grad_x": x.grad}, dict(meta, repr=repr(module)))


def run():
    case("scale2_2d", nn.Upsample(scale_factor=2), (2, 2, 2, 3), {"scale_factor": [2]})
    case("scale_per_dim_2d", nn.Upsample(scale_factor=(2, 3)), (1, 2, 3, 2), {"scale_factor": [2, 3]})
    case("size_2d", nn.Upsample(size=(5, 7)), (1, 2, 3, 4), {"size": [5, 7]})
    case("size_shrink_2d", nn.Upsample(size=(2, 7)), (1, 1, 5, 3), {"size": [2, 7]})
    case("scale3_1d", nn.Upsample(scale_factor=3), (2, 2, 4), {"scale_factor": [3]})
    case("size_1d", nn.Upsample(size=7), (1, 3, 3), {"size": [7]})


if __name__ == "__main__":
    run()
