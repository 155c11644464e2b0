"""Checks a safetensors file written by nn4j with an independent reader (stfile.py, plus PyTorch for the maths).
Run by hand; Java tests never call Python.

  /usr/bin/python3 tools/interop/check_nn4j_file.py FILE [--tensors EXPECTED.json] [--mlp GOLDEN.json]

Always: parses FILE strictly (layout, offsets, metadata) and prints its tensors and metadata; when the official
`safetensors` package is importable (it is not in Debian's torch 1.13 setup), its Rust parser must accept FILE too.
--tensors EXPECTED.json  a golden-format file ({"tensors": {name: {"shape", "data"}}}, see tools/goldens/common.py):
                         FILE must hold exactly these names, shapes and float32 values (bit for bit, NaN = NaN).
--mlp GOLDEN.json        FILE holds a 784->16->10 MLP state dict (0.weight, 0.bias, 2.weight, 2.bias): PyTorch's
                         nn.Sequential loaded from it must give GOLDEN's "logits" for GOLDEN's "x" within 1e-5.
The Java test SafetensorsInteropTest writes nn4j-core/target/interop/{nn4j_tensors,nn4j_mlp}.{safetensors,json}.
Exit status 0 when every check passes, 1 otherwise.
"""
import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stfile  # noqa: E402


def golden_tensors(path):
    with open(path) as f:
        doc = json.load(f)
    out = {}
    for name, t in doc["tensors"].items():
        data = [float(v) if isinstance(v, str) else v for v in t["data"]]
        out[name] = torch.tensor(data, dtype=torch.float32).reshape(t["shape"])
    return out


def same_bits(a, b):
    if a.shape != b.shape:
        return False
    for x, y in zip(a.reshape(-1).tolist(), b.reshape(-1).tolist()):
        if not (x == y and math.copysign(1, x) == math.copysign(1, y)) and not (math.isnan(x) and math.isnan(y)):
            return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--tensors")
    ap.add_argument("--mlp")
    args = ap.parse_args()

    tensors, metadata = stfile.read(args.file)
    print("%s: %d tensors, metadata %s" % (args.file, len(tensors), json.dumps(metadata, ensure_ascii=False)))
    for name, t in tensors.items():
        print("  %-20s %-5s %s" % (name, [k for k, v in stfile.DTYPES.items() if v[0] == t.dtype][0], list(t.shape)))
    ok = True
    try:
        import safetensors
    except ImportError:
        print("reference parser: the safetensors package is not installed; skipped")
    else:
        with open(args.file, "rb") as f:
            safetensors.deserialize(f.read())  # raises on anything the reference implementation rejects
        print("reference parser (safetensors %s): ok" % safetensors.__version__)

    if args.tensors:
        expected = golden_tensors(args.tensors)
        if list(expected) != list(tensors):
            print("FAIL names/order: expected %s, file has %s" % (list(expected), list(tensors)))
            ok = False
        for name, e in expected.items():
            if name in tensors and not same_bits(e, tensors[name].to(torch.float32)):
                print("FAIL tensor %s differs: expected %s, file has %s" % (name, e, tensors[name]))
                ok = False
        print("tensors vs %s: %s" % (args.tensors, "ok" if ok else "MISMATCH"))

    if args.mlp:
        golden = golden_tensors(args.mlp)
        model = torch.nn.Sequential(torch.nn.Linear(784, 16), torch.nn.ReLU(), torch.nn.Linear(16, 10))
        model.load_state_dict({k: v.to(torch.float32) for k, v in tensors.items()})
        with torch.no_grad():
            logits = model(golden["x"])
        diff = (logits - golden["logits"]).abs().max().item()
        good = diff <= 1e-5
        ok = ok and good
        print("mlp logits vs %s: max |diff| = %.3g -> %s" % (args.mlp, diff, "ok" if good else "MISMATCH"))

    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
