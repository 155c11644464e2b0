"""Shared writer for nn4j's golden files: small JSON documents of named float tensors (and optional
metadata) recorded from PyTorch 1.13, read by the Java tests through dev.nn4j.Golden.

Format: {"meta": {...}, "tensors": {"name": {"shape": [2, 3], "data": [ ...row-major floats... ]}}}
Run the generators with Debian's interpreter: /usr/bin/python3 tools/goldens/<area>.py
"""
import json
import math
import os

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "nn4j-core", "src", "test", "resources", "golden")


def _encode(t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    data = []
    for v in t.reshape(-1).tolist():
        if math.isnan(v):
            data.append("nan")
        elif math.isinf(v):
            data.append("inf" if v > 0 else "-inf")
        else:
            data.append(float(v))
    return {"shape": list(t.shape), "data": data}


def save(area, name, tensors, meta=None):
    """Writes golden/<area>/<name>.json with the given {name: tensor} map."""
    d = os.path.join(ROOT, area)
    os.makedirs(d, exist_ok=True)
    doc = {"meta": meta or {}, "tensors": {k: _encode(v) for k, v in tensors.items()}}
    with open(os.path.join(d, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
