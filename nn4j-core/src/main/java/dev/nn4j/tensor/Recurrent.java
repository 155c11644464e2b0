package dev.nn4j.tensor;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.autograd.Op;

/**
 * The LSTM cell's element-wise part as one primitive ({@link Op.LstmCell}): gate activations, the new cell state and
 * the new hidden state in one pass, and a backward in one pass. Written from primitives it took eleven ops per time
 * step (four narrows, four activations, products and sums), each with its own buffers and backward, which made a
 * sequence model's step several times slower than its matrix multiplies.
 */
public final class Recurrent {
    private Recurrent() {}

    /**
     * From pre-activation gates {@code z = [z_i | z_f | z_g | z_o]} (PyTorch's order) and the previous cell state
     * {@code c}: {@code i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)}, {@code c' = f ⊙ c + i ⊙ g},
     * {@code h' = o ⊙ tanh(c')}; returns {@code [h' | c']}.
     *
     * <p><b>Shapes:</b> {@code gates} {@code [B, 4H]}, {@code c} {@code [B, H]}; the result {@code [B, 2H]}, the new
     * hidden state in its first {@code H} columns and the new cell state in the last {@code H}.
     */
    public static Tensor lstmCell(Tensor gates, Tensor c) {
        int[] gs = gates.shape, cs = c.shape;
        if (gs.length != 2 || cs.length != 2 || gs[0] != cs[0] || gs[1] != 4 * cs[1]) {
            throw new IllegalArgumentException("lstmCell: expected gates [B, 4H] and cell state [B, H] but got gates "
                    + Shape.str(gs) + " and cell state " + Shape.str(cs));
        }
        int B = cs[0], H = cs[1];
        float[] z = gates.dense(), cd = c.dense();
        float[] out = new float[B * 2 * H];
        // per row: i, f, g, o, tanh(c'), kept for the backward only when one will be recorded (not in inference)
        boolean recorded = NoGrad.gradEnabled() && (gates.requiresGrad() || c.requiresGrad());
        float[] acts = recorded ? new float[B * 5 * H] : null;
        for (int b = 0; b < B; b++) {
            int zr = b * 4 * H, ar = b * 5 * H, orow = b * 2 * H, cr = b * H;
            for (int j = 0; j < H; j++) {
                float i = sigmoid(z[zr + j]), f = sigmoid(z[zr + H + j]), g = (float) Math.tanh(z[zr + 2 * H + j]), o = sigmoid(z[zr + 3 * H + j]);
                float c2 = f * cd[cr + j] + i * g;
                float tc = (float) Math.tanh(c2);
                if (recorded) {
                    acts[ar + j] = i;
                    acts[ar + H + j] = f;
                    acts[ar + 2 * H + j] = g;
                    acts[ar + 3 * H + j] = o;
                    acts[ar + 4 * H + j] = tc;
                }
                out[orow + j] = o * tc;
                out[orow + H + j] = c2;
            }
        }
        return Tensor.result(out, new int[] {B, 2 * H}, new Op.LstmCell(gates, c, acts));
    }

    /**
     * The backward rule of {@link #lstmCell}: with {@code dh}, {@code dc'} the two halves of {@code g},
     * {@code dc = dc' + dh ⊙ o ⊙ (1 − tanh²c')}, then {@code dz_i = dc ⊙ g ⊙ i(1−i)}, {@code dz_f = dc ⊙ c ⊙ f(1−f)},
     * {@code dz_g = dc ⊙ i ⊙ (1−g²)}, {@code dz_o = dh ⊙ tanh c' ⊙ o(1−o)} and {@code dc_prev = dc ⊙ f}.
     */
    public static Tensor[] lstmCellGrads(Op.LstmCell op, Tensor g) {
        int B = op.c().shape[0], H = op.c().shape[1];
        float[] gd = g.dense(), a = op.acts(), cd = op.c().dense();
        float[] dz = new float[B * 4 * H], dc = new float[B * H];
        for (int b = 0; b < B; b++) {
            int zr = b * 4 * H, ar = b * 5 * H, gr = b * 2 * H, cr = b * H;
            for (int j = 0; j < H; j++) {
                float i = a[ar + j], f = a[ar + H + j], gg = a[ar + 2 * H + j], o = a[ar + 3 * H + j], tc = a[ar + 4 * H + j];
                float dh = gd[gr + j];
                float dcell = gd[gr + H + j] + dh * o * (1 - tc * tc);
                dz[zr + j] = dcell * gg * i * (1 - i);
                dz[zr + H + j] = dcell * cd[cr + j] * f * (1 - f);
                dz[zr + 2 * H + j] = dcell * i * (1 - gg * gg);
                dz[zr + 3 * H + j] = dh * tc * o * (1 - o);
                dc[cr + j] = dcell * f;
            }
        }
        return new Tensor[] {
                op.gates().requiresGrad() ? Tensor.wrap(dz, op.gates().shape()) : null,
                op.c().requiresGrad() ? Tensor.wrap(dc, op.c().shape()) : null};
    }

    /** As the SIGMOID kernel: {@code 1 / (1 + e^−x)} in double, rounded once. */
    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
