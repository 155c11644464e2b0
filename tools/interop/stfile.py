"""Hand-written safetensors writer and reader for the interop scripts (torch 1.13 here has no safetensors
package). Follows the public format: 8-byte little-endian header length N, N bytes of UTF-8 JSON padded with
spaces, then the tensors' little-endian bytes packed in order. The reader checks the layout as strictly as nn4j.
"""
import json
import struct

import torch

# dtype name -> (torch dtype, bytes per element)
DTYPES = {
    "F64": (torch.float64, 8), "F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2),
    "I64": (torch.int64, 8), "I32": (torch.int32, 4), "I16": (torch.int16, 2), "I8": (torch.int8, 1),
    "U8": (torch.uint8, 1), "BOOL": (torch.bool, 1),
}
_BY_TORCH = {v[0]: k for k, v in DTYPES.items()}


def _raw_bytes(t):
    """Little-endian row-major bytes of t (this machine is little-endian; asserted below)."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().tobytes()


def write(path, tensors, metadata=None):
    """Writes {name: tensor} in dict order, __metadata__ first when given, header padded to 8 bytes."""
    assert struct.pack("=i", 1) == struct.pack("<i", 1), "little-endian machine expected"
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        raw = _raw_bytes(t)
        header[name] = {"dtype": _BY_TORCH[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate keys in the header: %r" % keys)
    return dict(pairs)


def read(path):
    """Returns ({name: tensor in its stored dtype}, metadata) in header order, or raises ValueError."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: %d bytes, shorter than the header length" % (path, len(data)))
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError("%s: header length %d beyond the file" % (path, n))
    raw_header = data[8:8 + n]
    if not raw_header.startswith(b"{"):
        raise ValueError("%s: header does not begin with '{'" % path)
    header = json.loads(raw_header.decode("utf-8"), object_pairs_hook=_no_duplicates)
    body = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise ValueError("%s: __metadata__ is not a string->string map" % path)
    tensors, spans = {}, []
    for name, info in header.items():
        if set(info) != {"dtype", "shape", "data_offsets"}:
            raise ValueError("%s: tensor %s has fields %s" % (path, name, sorted(info)))
        dtype, size = DTYPES[info["dtype"]]
        shape, (begin, end) = info["shape"], info["data_offsets"]
        numel = 1
        for d in shape:
            if not isinstance(d, int) or d < 0:
                raise ValueError("%s: tensor %s has shape %r" % (path, name, shape))
            numel *= d
        if end - begin != numel * size or not 0 <= begin <= end <= len(body):
            raise ValueError("%s: tensor %s has data_offsets %r for shape %r" % (path, name, [begin, end], shape))
        spans.append((begin, end, name))
        chunk = bytearray(body[begin:end])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(chunk, dtype=torch.int16).view(torch.bfloat16) if numel else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(chunk, dtype=dtype) if numel else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(shape)
    position = 0
    for begin, end, name in sorted(spans):
        if begin != position:
            raise ValueError("%s: tensor %s starts at %d, expected %d (gap or overlap)" % (path, name, begin, position))
        position = end
    if position != len(body):
        raise ValueError("%s: data section has %d bytes but tensors end at %d" % (path, len(body), position))
    return tensors, metadata
