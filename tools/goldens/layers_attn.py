"""Golden values for dev.nn4j.nn.MultiheadAttention, TransformerEncoderLayer and TransformerEncoder, recorded from
PyTorch 1.13 (training mode with dropout 0, so no fast path and no randomness).

Each case saves the module's state dict under PyTorch's names, the inputs (query/key/value, or input), the masks as
float tensors (attn_mask additive; key_padding_mask as 0/1 with 1 = ignore; causal cases pass
generate_square_subsequent_mask as attn_mask in PyTorch and flag meta.is_causal so that Java uses its causal
option), the outputs (output, weights), random upstream gradients (up.output, up.weights) and the gradients of
L = sum(output*up.output) [+ sum(weights*up.weights)]: grad.query/key/value (or grad.input), grad.<param name>.
Files go to golden/layers/attn_*.json. Run: /usr/bin/python3 tools/goldens/layers_attn.py
"""
import torch
import torch.nn as nn

from common import save


def causal(n):
    return torch.triu(torch.full((n, n), float("-inf")), diagonal=1)


def finish(name, module, tensors, outputs, inputs, meta):
    loss = 0
    for key, out in outputs.items():
        tensors[key] = out
        up = torch.randn(*out.shape)
        tensors["up." + key] = up
        loss = loss + (out * up).sum()
    loss.backward()
    for key, x in inputs.items():
        tensors["grad." + key] = x.grad
    for k, p in module.named_parameters():
        tensors["grad." + k] = p.grad
    meta["repr"] = repr(module)
    save("layers", name, tensors, meta)


def mha(name, seed, E, H, L, S, B, batch_first, self_attn=False, bias=True, attn_mask=None, kpm=False,
        is_causal=False, average=True):
    torch.manual_seed(seed)
    m = nn.MultiheadAttention(E, H, dropout=0.0, bias=bias, batch_first=batch_first)
    tensors = dict(m.state_dict())
    shape = (lambda n: (B, n, E)) if batch_first else (lambda n: (n, B, E))
    meta = {"embed_dim": E, "num_heads": H, "bias": bias, "batch_first": batch_first, "is_causal": is_causal,
            "average_attn_weights": average}
    if self_attn:
        x = torch.randn(*shape(L)).requires_grad_(True)
        q = k = v = x
        inputs = {"input": x}
    else:
        q = torch.randn(*shape(L)).requires_grad_(True)
        k = torch.randn(*shape(S)).requires_grad_(True)
        v = torch.randn(*shape(S)).requires_grad_(True)
        inputs = {"query": q, "key": k, "value": v}
    tensors.update({key: t for key, t in inputs.items()})
    mask = None
    if attn_mask == "float2d":
        mask = torch.randn(L, S)
    elif attn_mask == "float3d":
        mask = torch.randn(B * H, L, S)
    if mask is not None:
        tensors["attn_mask"] = mask
    if is_causal:
        mask = causal(L)
    padding = None
    if kpm:
        padding = torch.zeros(B, S, dtype=torch.bool)
        padding[0, -1] = True
        padding[-1, 0] = True
        padding[-1, 1] = True
        tensors["key_padding_mask"] = padding.float()
    out, w = m(q, k, v, key_padding_mask=padding, need_weights=True, attn_mask=mask, average_attn_weights=average)
    finish(name, m, tensors, {"output": out, "weights": w}, inputs, meta)


def encoder(name, seed, module, shape, src_mask=None, kpm=False, is_causal=False):
    torch.manual_seed(seed)
    tensors = dict(module.state_dict())
    x = torch.randn(*shape).requires_grad_(True)
    tensors["input"] = x
    B, S = (shape[0], shape[1]) if module_batch_first(module) else (shape[1], shape[0])
    mask = causal(S) if is_causal else src_mask
    if src_mask is not None:
        tensors["attn_mask"] = src_mask
    padding = None
    if kpm:
        padding = torch.zeros(B, S, dtype=torch.bool)
        padding[0, -1] = True
        padding[-1, 0] = True
        tensors["key_padding_mask"] = padding.float()
    out = module(x, mask, padding)
    finish(name, module, tensors, {"output": out}, {"input": x}, {"is_causal": is_causal})


def module_batch_first(module):
    layer = module.layers[0] if isinstance(module, nn.TransformerEncoder) else module
    return layer.self_attn.batch_first


def main():
    # MultiheadAttention
    mha("attn_mha_cross_seq_first", 1, E=4, H=2, L=3, S=4, B=2, batch_first=False)
    mha("attn_mha_cross_batch_first", 2, E=6, H=3, L=2, S=3, B=2, batch_first=True)
    mha("attn_mha_self_causal_batch_first", 3, E=4, H=2, L=4, S=4, B=2, batch_first=True, self_attn=True, is_causal=True)
    mha("attn_mha_self_key_padding_per_head", 4, E=4, H=2, L=3, S=3, B=2, batch_first=False, self_attn=True, kpm=True, average=False)
    mha("attn_mha_float_mask_3d_no_bias", 5, E=4, H=2, L=3, S=4, B=2, batch_first=True, bias=False, attn_mask="float3d")
    mha("attn_mha_float_mask_2d_key_padding", 6, E=4, H=1, L=3, S=3, B=2, batch_first=False, attn_mask="float2d", kpm=True)

    # TransformerEncoderLayer
    torch.manual_seed(10)
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, activation="relu")
    encoder("attn_encoder_layer_post_relu_key_padding", 11, layer, (3, 2, 4), kpm=True)
    torch.manual_seed(12)
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
    encoder("attn_encoder_layer_pre_gelu_causal", 13, layer, (2, 3, 4), is_causal=True)
    torch.manual_seed(14)
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=5, dropout=0.0, activation="gelu", layer_norm_eps=1e-3)
    encoder("attn_encoder_layer_post_gelu_float_mask", 15, layer, (3, 2, 4), src_mask=torch.randn(3, 3))
    torch.manual_seed(16)
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, activation="relu", batch_first=True, norm_first=True)

    # TransformerEncoder: 2 layers + final norm; the clones are perturbed apart so that a mix-up shows
    enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(4))
    with torch.no_grad():
        for p in enc.parameters():
            p.add_(0.1 * torch.randn_like(p))
    encoder("attn_encoder_2layer_norm_pre_relu", 17, enc, (2, 3, 4), kpm=True)


if __name__ == "__main__":
    main()
