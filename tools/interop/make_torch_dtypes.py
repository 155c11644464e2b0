"""Writes the same small values in every dtype nn4j reads (F64, F16, BF16, I64, I32, I16, I8, U8, BOOL) as one
safetensors file, with torch's own float32 conversion of each as the golden, so that nn4j's conversions are
checked against PyTorch's rather than against themselves.

Outputs: golden/io/torch_dtypes.safetensors and golden/io/torch_dtypes.json (one float32 tensor per name).
Run: /usr/bin/python3 tools/interop/make_torch_dtypes.py
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
    floats = torch.tensor([[0.0, -0.0, 1.0, -2.5, 3.14159265358979, 65504.0],
                           [6.1e-5, 5.96e-8, 1e-3, -1234.5678, 0.1, 1e30]], dtype=torch.float64)
    ints = torch.tensor([0, 1, -1, 127, -128, 42], dtype=torch.int64)
    tensors = {
        "f64": floats,
        "f16": floats[:, :5].to(torch.float16),  # 1e30 would overflow half
        "bf16": floats.to(torch.bfloat16),
        "i64": torch.tensor([0, -1, 2 ** 40 + 1, -(2 ** 62), 16777217], dtype=torch.int64),
        "i32": torch.tensor([[0, -1], [2 ** 31 - 1, -(2 ** 31)]], dtype=torch.int32),
        "i16": torch.tensor([0, -1, 32767, -32768], dtype=torch.int16),
        "i8": ints.to(torch.int8),
        "u8": torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
        "empty_f16": torch.zeros(0, 3, dtype=torch.float16),
        "scalar_i64": torch.tensor(7, dtype=torch.int64),
    }
    out_dir = os.path.join(common.ROOT, "io")
    os.makedirs(out_dir, exist_ok=True)
    stfile.write(os.path.join(out_dir, "torch_dtypes.safetensors"), tensors, {"source": "tools/interop/make_torch_dtypes.py"})
    common.save("io", "torch_dtypes", {k: v.to(torch.float32) for k, v in tensors.items()})


if __name__ == "__main__":
    main()
