"""Golden values for the op-table entries of the fused softmax + cross-entropy (CrossEntropy.loss, taken by
CrossEntropyLoss for [N, C] logits with class-index targets and no class weights or label smoothing): logits [6, 17]
against the fixed targets below (OpTableTest.CE_TARGETS holds the same), with MEAN, SUM (on confident rows), and
MEAN with ignore_index=2 (two rows ignored). Files golden/ops/cross_entropy_fused*.json follow ops.py's format (in0 = logits,
out, gout, grad0, meta.diff).
Run: /usr/bin/python3 tools/goldens/ops_cross_entropy.py
"""
import zlib

import torch
import torch.nn.functional as F

from common import save

TARGETS = [3, 0, 16, 2, 7, 2]


def run():
    for name, kwargs in [("cross_entropy_fused", {}),
                         ("cross_entropy_fused_sum", {"reduction": "sum"}),
                         ("cross_entropy_fused_ignore", {"ignore_index": 2})]:
        gen = torch.Generator().manual_seed(zlib.crc32(name.encode()))
        x = torch.randn(6, 17, generator=gen) * 3
        if kwargs.get("reduction") == "sum":
            # confident rows (target logit raised by 8): a small total, so that central differences in float resolve it
            x[torch.arange(6), torch.tensor(TARGETS)] += 8
        x.requires_grad_(True)
        out = F.cross_entropy(x, torch.tensor(TARGETS), **kwargs)
        gout = torch.randn(out.shape, generator=gen)
        out.backward(gout)
        save("ops", name, {"in0": x, "out": out, "gout": gout, "grad0": x.grad}, {"diff": [0]})


if __name__ == "__main__":
    run()
