package dev.nn4j.tensor;

import dev.nn4j.autograd.Op;
import dev.nn4j.backend.Window2d;

/**
 * The fused convolution primitive: one op with its own kernel and backward ({@link Op.Conv2d}), used by
 * {@code nn.Conv2d} when it has one group. The composite version ({@link Patches#unfold} then a batched matmul)
 * keeps a {@code [N, C·kH·kW, L]} column tensor alive from forward to backward; this one builds each image's
 * columns in a per-thread buffer, in the forward pass and again in the backward pass.
 */
public final class Convolution {
    private Convolution() {}

    /**
     * {@code y[n, o] = Σ_{c,i,j} weight[o, c, i, j] · x[n, c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW] + bias[o]}
     * (zero padding) over the window {@code w}.
     *
     * <p><b>Shapes:</b> {@code x} {@code [N, C, H, W]} (any layout), {@code weight} {@code [O, C, kH, kW]}, {@code bias}
     * {@code [O]} or null; result {@code [N, O, outH, outW]}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d w) {
        return conv2d(x, weight, bias, w, false);
    }

    /**
     * {@link #conv2d}, then, with {@code relu}, {@code relu} of it in the same pass: the same values and gradients as
     * {@code conv2d(x, weight, bias, w).relu()}, without a second full-size tensor. The ReLU is applied to each image's
     * output while it is in cache, and its gradient to each image's output gradient inside the backward pass.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d w, boolean relu) {
        return conv2d(x, weight, bias, w, relu, null);
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Tensor, Window2d, boolean)}, then, with a {@code pool} window (over the output
     * planes: its H and W are the convolution's outH and outW), {@link Pooling#maxPool2d} of it in the same pass: the
     * same values and gradients, and the convolution's full-size output is never written. Each image's output is
     * pooled while it is in cache; in the backward pass, each image's gradient goes back through the pooling (and the
     * ReLU) in a per-thread buffer.
     *
     * <p><b>Shapes:</b> as above; with {@code pool}, result {@code [N, O, pool.outH, pool.outW]}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d w, boolean relu, Window2d pool) {
        int[] xs = x.shape, ws = weight.shape;
        if (xs.length != 4 || xs[1] != w.C() || xs[2] != w.H() || xs[3] != w.W()) {
            throw new IllegalArgumentException("conv2d: expected input [N, " + w.C() + ", " + w.H() + ", " + w.W() + "] for " + w
                    + " but got " + Shape.str(xs));
        }
        if (ws.length != 4 || ws[1] != w.C() || ws[2] != w.kH() || ws[3] != w.kW()) {
            throw new IllegalArgumentException("conv2d: expected weight [O, " + w.C() + ", " + w.kH() + ", " + w.kW() + "] for " + w
                    + " but got " + Shape.str(ws));
        }
        int N = xs[0], O = ws[0];
        if (bias != null && (bias.dim() != 1 || bias.shape[0] != O)) {
            throw new IllegalArgumentException("conv2d: expected bias [" + O + "] for weight " + Shape.str(ws) + " but got " + Shape.str(bias.shape));
        }
        if (pool != null && (pool.H() != w.outH() || pool.W() != w.outW())) {
            throw new IllegalArgumentException("conv2d: pooling window " + pool + " does not take the " + w.outH() + " × " + w.outW() + " output of " + w);
        }
        int positions = pool == null ? w.positions() : pool.positions();
        float[] y = Buffers.take(N * O * positions);  // the kernel overwrites every element
        int[] argmax = pool == null ? null : new int[y.length];
        if (y.length > 0) {
            TensorOps.kernels().conv2d(x.dense(), N, w, weight.dense(), bias == null ? null : bias.dense(), relu, pool, O, y, argmax);
        }
        int[] shape = pool == null ? new int[] {N, O, w.outH(), w.outW()} : new int[] {N, O, pool.outH(), pool.outW()};
        return Tensor.result(y, shape, new Op.Conv2d(x, weight, bias, w, relu, pool, argmax));
    }

    /**
     * The backward rule of {@link #conv2d} given its output {@code out} and the output gradient {@code g}: gradients
     * aligned with {@code op.inputs()}, null where none is needed.
     */
    public static Tensor[] conv2dGrads(Op.Conv2d op, Tensor out, Tensor g) {
        Tensor x = op.x(), weight = op.weight(), bias = op.bias();
        Window2d w = op.window();
        int N = x.shape[0], O = weight.shape[0];
        float[] dX = x.requiresGrad() ? Buffers.take(x.numel()) : null;  // overwritten, as dWeight and dBias
        float[] dWeight = weight.requiresGrad() ? new float[weight.numel()] : null;
        float[] dBias = bias != null && bias.requiresGrad() ? new float[O] : null;
        if (N > 0) {
            TensorOps.kernels().conv2dBackward(x.dense(), g.dense(), op.relu() ? out.dense() : null, op.pool(), op.argmax(),
                    N, w, weight.dense(), O, dX, dWeight, dBias);
        }
        Tensor gx = dX == null ? null : Tensor.wrap(dX, x.shape());
        Tensor gw = dWeight == null ? null : Tensor.wrap(dWeight, weight.shape());
        if (bias == null) return new Tensor[] {gx, gw};
        return new Tensor[] {gx, gw, dBias == null ? null : Tensor.wrap(dBias, O)};
    }
}
