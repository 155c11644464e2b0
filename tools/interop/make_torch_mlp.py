"""Writes a seeded PyTorch 784->16->10 MLP (nn.Sequential: Linear, ReLU, Linear) as a safetensors file and its
logits on a fixed input as a golden file, for the Java interop test (SafetensorsInteropTest).

Outputs: nn4j-core/src/test/resources/golden/io/torch_mlp.safetensors (state dict: 0.weight, 0.bias, 2.weight,
2.bias) and golden/io/torch_mlp.json (x [2, 784], logits [2, 10]).
Run: /usr/bin/python3 tools/interop/make_torch_mlp.py
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "goldens"))
import common  # noqa: E402
import stfile  # noqa: E402


def main():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 16), torch.nn.ReLU(), torch.nn.Linear(16, 10))
    # Pixel-like input in [0, 1], multiples of 1/8 so that the golden text stays short and exact.
    x = torch.randint(0, 9, (2, 784)).to(torch.float32) / 8
    with torch.no_grad():
        logits = model(x)
    out_dir = os.path.join(common.ROOT, "io")
    os.makedirs(out_dir, exist_ok=True)
    stfile.write(os.path.join(out_dir, "torch_mlp.safetensors"), dict(model.state_dict()),
                 {"format": "pt", "source": "tools/interop/make_torch_mlp.py", "torch": torch.__version__})
    common.save("io", "torch_mlp", {"x": x, "logits": logits},
                {"model": "Sequential(Linear(784, 16), ReLU(), Linear(16, 10))", "seed": 0})


if __name__ == "__main__":
    main()
