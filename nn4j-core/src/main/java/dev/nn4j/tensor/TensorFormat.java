package dev.nn4j.tensor;

import java.util.Locale;

/**
 * PyTorch-like printing: {@code tensor([[ 1.0000, -2.5000], …])}, one shared number format per tensor,
 * summarised with "..." beyond 1000 elements (three entries kept at each edge).
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000, EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        float[] v = t.toFloatArray();
        boolean summarise = v.length > THRESHOLD;
        String fmt = numberFormat(v);
        int width = 0;
        for (float x : v) width = Math.max(width, num(fmt, x).length());
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.dim() == 0) {
            sb.append(num(fmt, v[0]));
        } else {
            block(sb, v, t.shape, 0, 0, fmt, width, summarise, "tensor(".length());
        }
        if (t.requiresGrad()) sb.append(t.gradFn() != null ? ", grad_fn=<" + t.gradFn().getClass().getSimpleName() + "Backward>" : ", requires_grad=True");
        if (v.length == 0) sb.append(", size=").append(Shape.str(t.shape));
        return sb.append(')').toString();
    }

    private static void block(StringBuilder sb, float[] v, int[] shape, int dim, int base, String fmt, int width,
                              boolean summarise, int indent) {
        int n = shape[dim];
        int stride = 1;
        for (int i = dim + 1; i < shape.length; i++) stride *= shape[i];
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                sb.append(dim == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = n - EDGE;
            }
            if (dim == shape.length - 1) {
                String s = num(fmt, v[base + i]);
                sb.append(" ".repeat(width - s.length())).append(s);
            } else {
                block(sb, v, shape, dim + 1, base + i * stride, fmt, width, summarise, indent);
            }
            if (i < n - 1) sb.append(dim == shape.length - 1 ? ", " : ",\n".repeat(shape.length - 1 - dim) + " ".repeat(indent + dim + 1));
        }
        sb.append(']');
    }

    private static String numberFormat(float[] v) {
        boolean integral = true;
        double maxAbs = 0, minAbs = Double.MAX_VALUE;
        for (float x : v) {
            if (!Float.isFinite(x)) continue;
            if (x != Math.rint(x)) integral = false;
            double a = Math.abs(x);
            maxAbs = Math.max(maxAbs, a);
            if (a > 0) minAbs = Math.min(minAbs, a);
        }
        if (integral && maxAbs < 1e8) return "int";
        if (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs != Double.MAX_VALUE) || (maxAbs / minAbs > 1000 && minAbs < 0.01)) return "%.4e";
        return "%.4f";
    }

    private static String num(String fmt, float x) {
        if (Float.isNaN(x)) return "nan";
        if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (fmt.equals("int")) return String.format(Locale.ROOT, "%.0f.", x);
        return String.format(Locale.ROOT, fmt, x);
    }
}
