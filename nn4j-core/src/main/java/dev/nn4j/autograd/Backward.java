package dev.nn4j.autograd;

import dev.nn4j.tensor.ActivationGrads;
import dev.nn4j.tensor.Convolution;
import dev.nn4j.tensor.CrossEntropy;
import dev.nn4j.tensor.InvertedDropout;
import dev.nn4j.tensor.Patches;
import dev.nn4j.tensor.Pooling;
import dev.nn4j.tensor.Recurrent;
import dev.nn4j.tensor.Tensor;

import java.util.function.Predicate;

/**
 * The chain rule, in one place: for each primitive {@link Op}, the gradients of its inputs given the
 * gradient {@code g} of its output {@code out}. The switch is exhaustive over the sealed op type, so a new
 * primitive without a rule does not compile. Rules are written with ordinary tensor ops and run under
 * {@link NoGrad}.
 */
final class Backward {
    private static final float TWO_OVER_SQRT_PI = (float) (2.0 / Math.sqrt(Math.PI));
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
    private static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));

    private Backward() {}

    /**
     * Gradients aligned with {@code op.inputs()}; an entry may be null when that input needs none, or when the rule
     * added it straight into the input's gradient buffer, which it may do for the leaves {@code soleUse} accepts
     * (leaves with no other use in the graph, so no other contribution is summed with this one first).
     */
    static Tensor[] grads(Op op, Tensor out, Tensor g, Predicate<Tensor> soleUse) {
        return switch (op) {
            case Op.Unary(var fn, var x) -> new Tensor[] {switch (fn) {
                case NEG -> g.neg();
                case ABS -> g.mul(x.sign());
                case SIGN -> Tensor.zeros(x.shape());
                case EXP -> g.mul(out);
                case LOG -> g.div(x);
                case SQRT -> g.mul(0.5f).div(out);
                case RSQRT -> g.mul(out.pow(3f)).mul(-0.5f);                      // d(x^-1/2) = -1/2 x^-3/2
                case RECIPROCAL -> g.mul(out.mul(out)).neg();                     // d(1/x) = -1/x²
                case SIN -> g.mul(x.cos());
                case COS -> g.mul(x.sin()).neg();
                case TANH -> g.mul(out.mul(out).rsub(1f));                        // 1 - tanh²
                case SIGMOID -> g.mul(out.mul(out.rsub(1f)));                     // σ(1 - σ)
                case RELU -> ActivationGrads.relu(g, x);                          // g · (x > 0), one buffer
                case GELU -> {                                                    // Φ(x) + x φ(x)
                    Tensor cdf = x.mul(INV_SQRT_2).erf().add(1f).mul(0.5f);
                    Tensor pdf = x.mul(x).mul(-0.5f).exp().mul(INV_SQRT_2PI);
                    yield g.mul(cdf.add(x.mul(pdf)));
                }
                case ERF -> g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI));    // 2/√π e^(-x²)
            }};
            case Op.Binary(var fn, var a, var b) -> switch (fn) {
                case ADD -> new Tensor[] {g.sumTo(a.shape()), g.sumTo(b.shape())};
                case SUB -> new Tensor[] {g.sumTo(a.shape()), g.neg().sumTo(b.shape())};
                case MUL -> new Tensor[] {
                        a.requiresGrad() ? g.mul(b).sumTo(a.shape()) : null,
                        b.requiresGrad() ? g.mul(a).sumTo(b.shape()) : null};
                case DIV -> new Tensor[] {                                        // d(a/b) = 1/b da - a/b² db
                        a.requiresGrad() ? g.div(b).sumTo(a.shape()) : null,
                        b.requiresGrad() ? g.mul(out).div(b).neg().sumTo(b.shape()) : null};
                case POW -> new Tensor[] {                                        // d(a^b) = b a^(b-1) da + a^b ln a db
                        a.requiresGrad() ? g.mul(b).mul(a.pow(b.sub(1f))).sumTo(a.shape()) : null,
                        b.requiresGrad() ? g.mul(out).mul(a.log()).sumTo(b.shape()) : null};
                case MAXIMUM, MINIMUM -> {                                        // ties split the gradient, as PyTorch does
                    Tensor pick = fn == dev.nn4j.backend.BinaryFn.MAXIMUM ? a.gt(b) : a.lt(b);
                    Tensor half = a.eq(b).mul(0.5f);
                    Tensor wa = pick.add(half);
                    yield new Tensor[] {g.mul(wa).sumTo(a.shape()), g.mul(wa.rsub(1f)).sumTo(b.shape())};
                }
                case EQ, NE, LT, LE, GT, GE -> throw new IllegalStateException("comparison " + fn + " has no gradient");
            };
            case Op.Where(var cond, var a, var b) -> {
                Tensor zero = Tensor.scalar(0f);
                yield new Tensor[] {Tensor.where(cond, g, zero).sumTo(a.shape()), Tensor.where(cond, zero, g).sumTo(b.shape())};
            }
            case Op.Sum(var x, var dims, var keepdim) -> new Tensor[] {unreduce(g, x.shape(), dims, keepdim).expand(x.shape())};
            case Op.Max(var x, var dims, var keepdim) -> {
                Tensor max = unreduce(out, x.shape(), dims, keepdim);
                Tensor mask = x.eq(max);
                Tensor count = mask.sum(dims, true);
                yield new Tensor[] {mask.mul(unreduce(g, x.shape(), dims, keepdim)).div(count)};
            }
            case Op.MatMul(var a, var b) -> {
                // da = g bᵀ, db = aᵀ g; a 2-D leaf's share is added straight into its gradient buffer
                boolean flat = a.dim() == 2 && b.dim() == 2;
                Tensor da = null, db = null;
                if (a.requiresGrad()) {
                    if (flat && soleUse.test(a)) a.accumulateGradMatmul(g, b.mT());
                    else da = g.matmul(b.mT()).sumTo(a.shape());
                }
                if (b.requiresGrad()) {
                    if (flat && soleUse.test(b)) b.accumulateGradMatmul(a.mT(), g);
                    else db = a.mT().matmul(g).sumTo(b.shape());
                }
                yield new Tensor[] {da, db};
            }
            case Op.Linear(var x, var weight, var bias, var relu) -> {
                // y = x Wᵀ + b ⇒ dx = g W, dW = gᵀ x (read as a transposed operand, so dW is written in W's layout), db = Σ_rows g;
                // with relu, g first takes the ReLU's gradient: out > 0 exactly where x Wᵀ + b > 0
                Tensor gy = relu ? ActivationGrads.relu(g, out) : g;
                Tensor dx = x.requiresGrad() ? gy.matmul(weight) : null;
                // a leaf weight's dW is added straight into its gradient buffer by a GEMM that accumulates
                Tensor dWeight = null;
                if (weight.requiresGrad()) {
                    if (soleUse.test(weight)) weight.accumulateGradMatmul(gy, true, x);  // gᵀ read in place: no view of gy
                    else dWeight = gy.mT().matmul(x);
                }
                Tensor dBias = bias != null && bias.requiresGrad() ? gy.sum(0) : null;
                if (relu) gy.release();  // the ReLU's gradient is this rule's own temporary, done with (kept if a view shares it)
                yield bias == null ? new Tensor[] {dx, dWeight} : new Tensor[] {dx, dWeight, dBias};
            }
            case Op.Softmax(var x, var dim, var log) -> new Tensor[] {log
                    ? g.sub(out.exp().mul(g.sum(dim, true)))                     // g - softmax · Σg
                    : out.mul(g.sub(g.mul(out).sum(dim, true)))};                // s ⊙ (g - Σ g s)
            case Op.Reshape(var x) -> new Tensor[] {g.reshape(x.shape())};
            case Op.Permute(var x, var perm) -> {
                int[] inverse = new int[perm.length];
                for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
                yield new Tensor[] {g.permute(inverse)};
            }
            case Op.Expand(var x) -> new Tensor[] {g.sumTo(x.shape())};
            case Op.Narrow(var x, var dim, var start) -> {
                int size = x.size(dim), len = g.size(dim);
                int[] before = x.shape(), after = x.shape();
                before[dim] = start;
                after[dim] = size - start - len;
                yield new Tensor[] {Tensor.cat(java.util.List.of(Tensor.zeros(before), g, Tensor.zeros(after)), dim)};
            }
            case Op.Contiguous(var x) -> new Tensor[] {g};
            case Op.Concat(var xs, var dim) -> {
                Tensor[] grads = new Tensor[xs.length];
                int start = 0;
                for (int i = 0; i < xs.length; i++) {
                    grads[i] = g.narrow(dim, start, xs[i].size(dim));
                    start += xs[i].size(dim);
                }
                yield grads;
            }
            case Op.IndexSelect(var x, var dim, var index) -> new Tensor[] {Tensor.zeros(x.shape()).indexAdd(dim, index, g)};
            case Op.Gather(var x, var dim, var index) -> new Tensor[] {Tensor.zeros(x.shape()).scatterAdd(dim, index, g)};
            case Op.IndexAdd(var x, var dim, var index, var src) -> new Tensor[] {g, g.indexSelect(dim, index)};
            case Op.ScatterAdd(var x, var dim, var index, var src) -> new Tensor[] {g, g.gather(dim, index)};
            // unfold and fold are adjoint linear maps: each one's gradient is the other applied to g
            case Op.Unfold2d(var x, var window, var padValue) -> new Tensor[] {Patches.fold(g, window)};
            case Op.Fold2d(var cols, var window) -> new Tensor[] {Patches.unfold(g, window, 0f)};
            case Op.Conv2d conv -> Convolution.conv2dGrads(conv, out, g);
            case Op.MaxPool2d pool -> new Tensor[] {Pooling.maxPool2dGrad(pool, g)};
            case Op.Dropout drop -> new Tensor[] {InvertedDropout.grad(drop, g)};
            case Op.LstmCell cell -> Recurrent.lstmCellGrads(cell, g);
            case Op.CrossEntropy ce -> new Tensor[] {CrossEntropy.grad(ce, g)};
        };
    }

    /** {@code g} reshaped so that it broadcasts against the unreduced {@code shape} (reduced dims become 1). */
    private static Tensor unreduce(Tensor g, int[] shape, int[] dims, boolean keepdim) {
        if (keepdim) return g;
        int[] kept = shape.clone();
        for (int d : dims) kept[d] = 1;
        return g.reshape(kept);
    }
}
