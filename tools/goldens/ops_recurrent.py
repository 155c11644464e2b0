"""Golden values for the op-table entry of the fused LSTM cell (Recurrent.lstmCell): gates z [B, 4H] in PyTorch's
order i, f, g, o and cell state c [B, H] to [h' | c'], written with PyTorch's own ops (the formula of torch.nn.LSTM).
File golden/ops/lstm_cell_fused.json follows ops.py's format (in0 = gates, in1 = c, out, gout, grad0, grad1, meta.diff).
Run: /usr/bin/python3 tools/goldens/ops_recurrent.py
"""
import zlib

import torch

from common import save


def lstm_cell(z, c):
    i, f, g, o = z.chunk(4, 1)
    c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.cat([torch.sigmoid(o) * torch.tanh(c2), c2], 1)


def run():
    name = "lstm_cell_fused"
    gen = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    z = (torch.randn(3, 4 * 5, generator=gen) * 2).requires_grad_(True)
    c = torch.randn(3, 5, generator=gen).requires_grad_(True)
    out = lstm_cell(z, c)
    gout = torch.randn(out.shape, generator=gen)
    out.backward(gout)
    save("ops", name, {"in0": z, "in1": c, "out": out, "gout": gout, "grad0": z.grad, "grad1": c.grad}, {"diff": [0, 1]})


if __name__ == "__main__":
    run()
