"""Golden values for the op table (dev.nn4j.tensor.OpTableTest): every op on Tensor run in PyTorch 1.13 on
seeded inputs. For each entry golden/ops/<name>.json holds the inputs in0, in1, ..., the output `out`, a fixed
random upstream gradient `gout` and the input gradients grad0, grad1, ... of out.backward(gout); meta.diff lists
the differentiable inputs (the others are index tensors or masks). Also golden/ops/print.json: strings PyTorch
prints for a few tensors, which Tensor.toString() matches.

Inputs for kinked ops stay at least 0.1 away from the kinks, log/sqrt get positive inputs, and max/min inputs
have distinct values, so that central differences in GradCheck are meaningful.
Adding an op: one `op(...)` line here and the same name on one line of OpTableTest.
Run: /usr/bin/python3 tools/goldens/ops.py
"""
import zlib

import torch
import torch.nn.functional as F

from common import save

OPS = []


def op(name, fn, *inputs, grad=True):
    OPS.append((name, fn, inputs, grad))


# ---------------------------------------------------------------- input kinds (each draws from a seeded generator)

class N:
    """Standard normal; `away` lists kinks the values keep 0.1 from; `margin` keeps |x| >= margin."""
    diff = True

    def __init__(self, *shape, away=(), margin=0.0):
        self.shape, self.away, self.margin = shape, away, margin

    def make(self, g):
        x = torch.randn(self.shape, generator=g)
        if self.margin:
            x = torch.sign(x) * (self.margin + x.abs())
            x[x == 0] = self.margin
        for k in self.away:
            near = (x - k).abs() < 0.1
            x = torch.where(near, x + 0.25 * torch.sign(x - k + 1e-6), x)
        return x


class P(N):
    """Uniform in [0.5, 2): positive, for log, sqrt, rsqrt and pow bases."""

    def make(self, g):
        return 0.5 + 1.5 * torch.rand(self.shape, generator=g)


class D(N):
    """Distinct values: a shuffled multiple of 0.1 (plus `offset`), so maxima and orderings have no ties."""

    def __init__(self, *shape, offset=0.0):
        super().__init__(*shape)
        self.offset = offset

    def make(self, g):
        n = 1
        for s in self.shape:
            n *= s
        perm = torch.randperm(n, generator=g).float()
        return ((perm - n // 2) * 0.1 + self.offset).reshape(self.shape)


class I:
    """Whole numbers in [0, high) stored as floats (indices; no gradient)."""
    diff = False

    def __init__(self, high, *shape):
        self.high, self.shape = high, shape

    def make(self, g):
        return torch.randint(0, self.high, self.shape, generator=g).float()


class Idx(I):
    """Fixed index values (1-D), e.g. with repeats to exercise accumulation."""

    def __init__(self, *values):
        super().__init__(0)
        self.values = values

    def make(self, g):
        return torch.tensor(self.values, dtype=torch.float32)


    def rank0(self):
        """The single value as a rank-0 tensor."""
        make = self.make
        self.make = lambda g: make(g).reshape(())
        return self


class Z(I):
    """Small whole numbers in [-2, 2], so that comparisons meet equal values."""

    def __init__(self, *shape):
        super().__init__(5, *shape)

    def make(self, g):
        return torch.randint(-2, 3, self.shape, generator=g).float()


def L(t):
    return t.long()


# ---------------------------------------------------------------- element-wise, binary (tensor and scalar, broadcasting)

op("add", lambda a, b: a + b, N(3, 4), N(3, 4))
op("add_broadcast_row", lambda a, b: a + b, N(3, 4), N(4))
op("add_broadcast_both", lambda a, b: a + b, N(2, 1, 4), N(3, 1))
op("add_rank0", lambda a, b: a + b, N(3, 2), N())
op("add_scalar", lambda a: a + 2.5, N(3, 4))
op("add_expanded_view", lambda a, b: a.expand(3, 4) + b, N(1, 4), N(3, 4))
op("sub", lambda a, b: a - b, N(3, 4), N(3, 4))
op("sub_broadcast", lambda a, b: a - b, N(4), N(3, 1))
op("sub_scalar", lambda a: a - 1.5, N(3, 4))
op("rsub_scalar", lambda a: 1.5 - a, N(3, 4))
op("mul", lambda a, b: a * b, N(3, 4), N(3, 4))
op("mul_broadcast", lambda a, b: a * b, N(2, 3, 4), N(3, 1))
op("mul_scalar", lambda a: a * -3.0, N(3, 4))
op("div", lambda a, b: a / b, N(3, 4), N(3, 4, margin=0.5))
op("div_broadcast", lambda a, b: a / b, N(2, 3), N(3, margin=0.5))
op("div_scalar", lambda a: a / 4.0, N(3, 4))
op("pow_tensor", lambda a, b: a ** b, P(3, 4), N(3, 4))
op("pow_broadcast", lambda a, b: a ** b, P(2, 3), N(3))
op("pow_scalar_3", lambda a: a ** 3.0, N(3, 4))
op("pow_scalar_2", lambda a: a ** 2.0, N(3, 4))
op("pow_scalar_half", lambda a: a ** 0.5, P(3, 4))
op("pow_scalar_neg", lambda a: a ** -1.5, P(3, 4))
op("maximum", torch.maximum, D(3, 4), D(3, 4, offset=0.05))
op("maximum_broadcast", torch.maximum, D(3, 4), D(4, offset=0.05))
op("minimum", torch.minimum, D(3, 4), D(3, 4, offset=0.05))

# ---------------------------------------------------------------- element-wise, unary

op("neg", torch.neg, N(3, 4))
op("abs", torch.abs, N(3, 4, margin=0.1))
op("sign", torch.sign, N(3, 4, margin=0.1), grad=False)
op("exp", torch.exp, N(3, 4))
op("log", torch.log, P(3, 4))
op("sqrt", torch.sqrt, P(3, 4))
op("rsqrt", torch.rsqrt, P(3, 4))
op("reciprocal", torch.reciprocal, N(3, 4, margin=0.5))
op("sin", torch.sin, N(3, 4))
op("cos", torch.cos, N(3, 4))
op("tanh", torch.tanh, N(3, 4))
op("sigmoid", torch.sigmoid, N(3, 4))
op("relu", torch.relu, N(3, 4, margin=0.1))
op("leaky_relu", lambda a: F.leaky_relu(a, 0.1), N(3, 4, margin=0.1))
op("elu", lambda a: F.elu(a, 1.0), N(3, 4, margin=0.1))
op("elu_alpha", lambda a: F.elu(a, 0.5), N(3, 4, margin=0.1))
op("gelu", F.gelu, N(3, 4))
op("gelu_tanh", lambda a: F.gelu(a, approximate="tanh"), N(3, 4))
op("silu", F.silu, N(3, 4))
op("erf", torch.erf, N(3, 4))
op("clamp", lambda a: a.clamp(-0.5, 0.5), N(3, 4, away=(-0.5, 0.5)))
op("exp_expanded_view", lambda a: a.expand(2, 3, 4).exp(), N(3, 1))

# ---------------------------------------------------------------- comparisons and where (comparisons: forward only)

op("eq", torch.eq, Z(3, 4), Z(3, 4), grad=False)
op("ne", torch.ne, Z(3, 4), Z(4), grad=False)
op("lt", torch.lt, Z(3, 4), Z(3, 4), grad=False)
op("le", torch.le, Z(3, 4), Z(3, 1), grad=False)
op("gt", torch.gt, Z(3, 4), Z(3, 4), grad=False)
op("ge", torch.ge, Z(3, 4), Z(3, 4), grad=False)
op("gt_scalar", lambda a: (a > 0.0).float(), Z(3, 4), grad=False)
op("eq_scalar", lambda a: (a == 1.0).float(), Z(3, 4), grad=False)
op("ne_scalar", lambda a: (a != 0.0).float(), Z(3, 4), grad=False)
op("lt_scalar", lambda a: (a < 1.0).float(), Z(3, 4), grad=False)
op("le_scalar", lambda a: (a <= -1.0).float(), Z(3, 4), grad=False)
op("ge_scalar", lambda a: (a >= 2.0).float(), Z(3, 4), grad=False)
op("where", lambda c, a, b: torch.where(c != 0, a, b), I(2, 3, 4), N(3, 4), N(3, 4))
op("where_broadcast", lambda c, a, b: torch.where(c != 0, a, b), I(2, 3, 1), N(4), N(3, 4))

# ---------------------------------------------------------------- reductions

op("sum_all", lambda a: a.sum(), N(3, 4))
op("sum_dim0", lambda a: a.sum(0), N(3, 4))
op("sum_dim_keepdim", lambda a: a.sum(-1, keepdim=True), N(2, 3, 4))
op("sum_dims_nonadjacent", lambda a: a.sum((0, 2), keepdim=True), N(2, 3, 4))
op("sum_dims_adjacent", lambda a: a.sum((1, 2)), N(2, 3, 4))
op("mean_all", lambda a: a.mean(), N(3, 4))
op("mean_dim", lambda a: a.mean(1), N(2, 3, 4))
op("mean_dim_keepdim", lambda a: a.mean(0, keepdim=True), N(2, 3, 4))
op("mean_dims", lambda a: a.mean((0, 2)), N(2, 3, 4))
op("max_all", lambda a: a.max(), D(3, 4))
op("max_dim", lambda a: a.max(1).values, D(3, 4))
op("max_dim_keepdim", lambda a: a.max(0, keepdim=True).values, D(2, 3, 4))
op("max_dims", lambda a: a.amax((0, 2)), D(2, 3, 4))
op("min_all", lambda a: a.min(), D(3, 4))
op("min_dim_keepdim", lambda a: a.min(-1, keepdim=True).values, D(2, 3, 4))
op("var_all", lambda a: a.var(), N(3, 4))
op("var_dim_keepdim", lambda a: a.var(1, keepdim=True), N(2, 3, 4))
op("var_dims_biased", lambda a: a.var((0, 2), unbiased=False), N(2, 3, 4))
op("std_all", lambda a: a.std(), N(3, 4))
op("std_dim", lambda a: a.std(0), N(3, 4))
op("std_dims_biased_keepdim", lambda a: a.std((1, 2), unbiased=False, keepdim=True), N(2, 3, 4))
op("argmax_all", lambda a: a.argmax().float(), D(3, 4), grad=False)
op("argmax_dim", lambda a: a.argmax(1).float(), D(3, 4), grad=False)
op("argmax_dim_keepdim", lambda a: a.argmax(0, keepdim=True).float(), D(2, 3, 4), grad=False)
op("argmin_all", lambda a: a.argmin().float(), D(3, 4), grad=False)
op("argmin_dim", lambda a: a.argmin(-1).float(), D(2, 3, 4), grad=False)
op("logsumexp", lambda a: a.logsumexp(1), N(3, 4))
op("logsumexp_keepdim", lambda a: a.logsumexp(0, keepdim=True), N(2, 3, 4))
op("softmax_last", lambda a: a.softmax(-1), N(3, 4))
op("softmax_dim0", lambda a: a.softmax(0), N(2, 3, 4))
op("softmax_middle", lambda a: a.softmax(1), N(2, 3, 4))
op("log_softmax_last", lambda a: a.log_softmax(-1), N(3, 4))
op("log_softmax_middle", lambda a: a.log_softmax(1), N(2, 3, 4))
op("softmax_rank0", lambda a: a.softmax(0), N())
op("log_softmax_rank0", lambda a: a.log_softmax(0), N())

# ---------------------------------------------------------------- matmul

op("matmul_dot", torch.matmul, N(4), N(4))
op("matmul_vec_mat", torch.matmul, N(3), N(3, 4))
op("matmul_mat_vec", torch.matmul, N(3, 4), N(4))
op("matmul_2d", torch.matmul, N(3, 4), N(4, 5))
op("matmul_batched", torch.matmul, N(2, 3, 4), N(2, 4, 5))
op("matmul_batched_by_2d", torch.matmul, N(2, 3, 4), N(4, 5))
op("matmul_2d_by_batched", torch.matmul, N(3, 4), N(2, 4, 2))
op("matmul_batch_broadcast", torch.matmul, N(2, 1, 3, 4), N(3, 4, 2))
op("matmul_vec_batched", torch.matmul, N(4), N(2, 4, 3))
op("matmul_batched_vec", torch.matmul, N(2, 3, 4), N(4))
op("matmul_transposed_a", lambda a, b: a.t() @ b, N(4, 3), N(4, 5))
op("matmul_transposed_b", lambda a, b: a @ b.t(), N(3, 4), N(5, 4))
op("matmul_transposed_both", lambda a, b: a.mT @ b.mT, N(2, 4, 3), N(2, 5, 4))
op("matmul_expanded_batch", lambda a, b: a.expand(2, 3, 4) @ b, N(1, 3, 4), N(2, 4, 2))
op("linear", F.linear, N(3, 4), N(5, 4), N(5))
op("linear_no_bias", F.linear, N(2, 3), N(4, 3))
# Tensor.linear(weight, bias, true): the Linear + ReLU that Sequential fuses
op("linear_relu", lambda x, w, b: F.relu(F.linear(x, w, b)), N(3, 4), N(5, 4), N(5))

# ---------------------------------------------------------------- views and shape changes

op("reshape", lambda a: a.reshape(4, 3), N(2, 6))
op("reshape_infer", lambda a: a.reshape(-1, 2), N(2, 3, 2))
op("reshape_of_transposed", lambda a: a.t().reshape(-1), N(3, 4))
op("view", lambda a: a.view(2, 2, 3), N(3, 4))
op("permute", lambda a: a.permute(2, 0, 1), N(2, 3, 4))
op("transpose", lambda a: a.transpose(0, 2), N(2, 3, 4))
op("t", lambda a: a.t(), N(3, 4))
op("mT", lambda a: a.mT, N(2, 3, 4))
op("squeeze_all", lambda a: a.squeeze(), N(1, 3, 1, 4))
op("squeeze_dim", lambda a: a.squeeze(2), N(1, 3, 1, 4))
op("unsqueeze", lambda a: a.unsqueeze(1), N(3, 4))
op("unsqueeze_last", lambda a: a.unsqueeze(-1), N(3, 4))
op("narrow", lambda a: a.narrow(1, 1, 2), N(3, 4))
op("slice_step", lambda a: a[:, 0:5:2], N(3, 5))
op("slice_negative", lambda a: a[-3:-1], N(4, 3))
op("select", lambda a: a.select(1, 2), N(2, 3, 4))
op("select_negative", lambda a: a.select(0, -1), N(3, 4))
op("expand", lambda a: a.expand(2, 3, 4), N(3, 1))
op("expand_keep", lambda a: a.expand(3, -1), N(1, 4))
op("flatten", lambda a: a.flatten(), N(2, 3, 2))
op("flatten_range", lambda a: a.flatten(1, 2), N(2, 3, 2, 2))
op("contiguous_of_transposed", lambda a: a.t().contiguous(), N(3, 4))
op("copy", lambda a: a.clone(), N(3, 4))
op("expand_as", lambda a, b: a.expand_as(b), N(3, 1), Z(2, 3, 4))
op("sum_to", lambda a: a.sum_to_size(3, 1), N(2, 3, 4))

# ---------------------------------------------------------------- joining and splitting

op("cat_dim0", lambda a, b: torch.cat([a, b], 0), N(2, 3), N(1, 3))
op("cat_dim1", lambda a, b, c: torch.cat([a, b, c], 1), N(2, 3), N(2, 1), N(2, 2))
op("stack_dim0", lambda a, b: torch.stack([a, b], 0), N(2, 3), N(2, 3))
op("stack_last", lambda a, b, c: torch.stack([a, b, c], -1), N(2, 3), N(2, 3), N(2, 3))
op("split_reversed", lambda a: torch.cat(list(reversed(torch.split(a, 2, 1))), 1), N(2, 5))
op("split_piece", lambda a: torch.split(a, 2, 0)[1], N(5, 3))
op("chunk_reversed", lambda a: torch.cat(list(reversed(torch.chunk(a, 3, 0))), 0), N(7, 2))
op("chunk_last", lambda a: torch.chunk(a, 3, 1)[2], N(2, 7))

# ---------------------------------------------------------------- indexing

op("gather_dim1", lambda a, i: a.gather(1, L(i)), N(3, 4), I(4, 3, 6))
op("gather_dim0", lambda a, i: a.gather(0, L(i)), N(3, 4), I(3, 2, 4))
op("index_select", lambda a, i: a.index_select(0, L(i)), N(4, 3), Idx(3, 0, 3, 3))
op("index_select_dim1", lambda a, i: a.index_select(1, L(i)), N(2, 4, 3), Idx(1, 1, 2))
op("scatter_add", lambda a, i, s: a.scatter_add(1, L(i), s), N(3, 4), I(4, 3, 5), N(3, 5))
op("scatter_add_dim0", lambda a, i, s: a.scatter_add(0, L(i), s), N(3, 2), I(3, 4, 2), N(4, 2))
op("index_add", lambda a, i, s: a.index_add(0, L(i), s), N(4, 3), Idx(1, 3, 1), N(3, 3))
op("index_add_dim1", lambda a, i, s: a.index_add(1, L(i), s), N(2, 4), Idx(0, 0, 2, 3, 2), N(2, 5))

# ---------------------------------------------------------------- edge shapes: rank 0, size 0, size-1 matrices

op("exp_rank0", torch.exp, N())
op("sum_rank0", lambda a: a.sum(), N())
op("max_rank0", lambda a: a.max(), N())
op("mean_rank0_dim", lambda a: a.mean(0), N())
op("expand_rank0", lambda a: a.expand(2, 3), N())
op("where_rank0_cond", lambda c, a, b: torch.where(c != 0, a, b), Idx(1.0).rank0(), N(3), N(2, 3))
op("sum_empty_dim", lambda a: a.sum(0), N(0, 3))
op("mul_empty", lambda a, b: a * b, N(2, 0), N(0))
op("cat_with_empty", lambda a, b: torch.cat([a, b], 0), N(0, 3), N(2, 3))
op("matmul_outer", lambda a, b: a.unsqueeze(1) @ b.unsqueeze(0), N(3), N(4))
op("matmul_row_by_col", lambda a, b: a.unsqueeze(0) @ b.unsqueeze(1), N(4), N(4))
op("matmul_empty_inner", torch.matmul, N(2, 0), N(0, 3))


def run():
    for name, fn, kinds, grad in OPS:
        g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
        inputs = [k.make(g) for k in kinds]
        diff = [i for i, k in enumerate(kinds) if grad and k.diff]
        for i in diff:
            inputs[i].requires_grad_(True)
        out = fn(*inputs)
        if out.dtype == torch.bool:
            out = out.float()
        tensors = {f"in{i}": x for i, x in enumerate(inputs)}
        tensors["out"] = out
        if diff:
            gout = torch.randn(out.shape, generator=g)
            out.backward(gout)
            tensors["gout"] = gout
            for i in diff:
                tensors[f"grad{i}"] = inputs[i].grad
        save("ops", name, tensors, {"diff": diff})
    print_cases()


def print_cases():
    """torch 1.13's str() of a few tensors, for TensorTest (default print options)."""
    cases = {
        "scalar": torch.tensor(3.5),
        "negative_scalar": torch.tensor(-0.25),
        "integer_vector": torch.tensor([1.0, 2.0, 3.0]),
        "float_vector": torch.tensor([1.5, -2.25, 3.0]),
        "matrix": torch.tensor([[1.5, -2.0], [3.0, 4.125]]),
        "integer_matrix": torch.tensor([[1.0, -20.0], [300.0, 4.0]]),
        "rank3": torch.arange(12.0).reshape(2, 2, 3),
        "scientific_small": torch.tensor([1e-5, 1.0]),
        "scientific_ratio": torch.tensor([0.5, 1000.5]),
        "integer_scientific": torch.tensor([1.0, 2000.0]),
        "zeros": torch.zeros(3),
        "nonfinite": torch.tensor([1.0, float("inf"), float("nan"), -2.0]),
        "wrapped_vector": torch.arange(20.0) / 3,
        "requires_grad": torch.tensor([1.0, 2.0], requires_grad=True),
        "empty": torch.zeros(0),
        "empty_matrix": torch.zeros(2, 0),
        "summarised_vector": torch.arange(2000.0),
        "summarised_matrix": torch.arange(1200.0).reshape(40, 30) / 7,
    }
    # large cases are rebuilt in Java (arange and division are exact in float32), so only small ones are stored
    small = {k: v.detach() for k, v in cases.items() if v.numel() <= 100}
    save("ops", "print", small, {k: str(v) for k, v in cases.items()})


if __name__ == "__main__":
    run()
