package dev.nn4j.loss;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.Arrays;

/** Argument checks shared by the losses; every message starts with the loss's name. */
final class LossChecks {
    private LossChecks() {}

    /** Element-wise losses need equal shapes (PyTorch would broadcast, with a warning that it is likely a bug). */
    static void sameShape(String loss, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": input shape " + Shape.str(input.shape()) + " and target shape "
                    + Shape.str(target.shape()) + " must be equal");
        }
    }

    /** Every element of {@code t} lies in [0, 1] (NaN does not). */
    static void inUnitInterval(String loss, String what, Tensor t) {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0f && v[i] <= 1f)) {
                throw new IllegalArgumentException(loss + ": every " + what + " value must lie in [0, 1], but element " + i
                        + " of the " + what + " (shape " + Shape.str(t.shape()) + ") is " + v[i]);
            }
        }
    }

    /** {@code w} (if present) broadcasts to {@code shape} without enlarging it. */
    static void broadcastsTo(String loss, String what, Tensor w, int[] shape) {
        if (w == null) return;
        int[] ws = w.shape();
        boolean ok = ws.length <= shape.length;
        for (int i = 0; ok && i < ws.length; i++) {
            int s = shape[shape.length - ws.length + i];
            ok = ws[i] == s || ws[i] == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(loss + ": " + what + " of shape " + Shape.str(ws) + " does not broadcast to the input shape "
                    + Shape.str(shape));
        }
    }

    static Reduction nonNull(String loss, Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException(loss + ": reduction must not be null (use Reduction.NONE for none)");
        return reduction;
    }

    /** A float as written by a user: {@code 5} rather than {@code 5.0}, {@code 2.5} as is. */
    static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Float.toString(v);
    }
}
