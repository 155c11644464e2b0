package dev.nn4j.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Printing that follows PyTorch 1.13's {@code torch/_tensor_str.py} with its default options (precision 4,
 * threshold 1000, edge items 3, line width 80): one number format per tensor chosen from its non-zero finite
 * values (integers, fixed point or scientific), numbers right-aligned to a common width, vectors wrapped at 80
 * columns, and "..." for the middle of tensors with more than 1000 elements. Only the {@code grad_fn} name differs:
 * ours is the recorded op's record name.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000, EDGE = 3, LINE_WIDTH = 80, PRECISION = 4;
    private static final String PREFIX = "tensor(";

    private TensorFormat() {}

    static String format(Tensor t) {
        float[] v = t.toFloatArray();
        int indent = PREFIX.length();
        String body;
        if (v.length == 0) {
            body = "[]";
        } else {
            boolean summarise = v.length > THRESHOLD;
            List<Float> shown = new ArrayList<>();
            collect(v, t.shape, 0, 0, summarise, shown);
            Number fmt = new Number(shown);
            body = t.dim() == 0 ? fmt.format(v[0]) : block(v, t.shape, 0, 0, indent, summarise, fmt);
        }
        List<String> suffixes = new ArrayList<>();
        if (v.length == 0 && t.dim() != 1) suffixes.add("size=" + tuple(t.shape));
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().getClass().getSimpleName() + "Backward>");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        return addSuffixes(PREFIX + body, suffixes, indent);
    }

    /** The values the number format is chosen from: all of them, or only the edges when summarising. */
    private static void collect(float[] v, int[] shape, int dim, int base, boolean summarise, List<Float> out) {
        if (dim == shape.length) {
            out.add(v[base]);
            return;
        }
        int n = shape[dim], stride = stride(shape, dim);
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) i = n - EDGE;
            collect(v, shape, dim + 1, base + i * stride, summarise, out);
        }
    }

    private static String block(float[] v, int[] shape, int dim, int base, int indent, boolean summarise, Number fmt) {
        int n = shape[dim], stride = stride(shape, dim);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                items.add(dim == shape.length - 1 ? " ..." : "...");
                i = n - EDGE;
            }
            items.add(dim == shape.length - 1 ? fmt.format(v[base + i]) : block(v, shape, dim + 1, base + i * stride, indent + 1, summarise, fmt));
        }
        if (dim < shape.length - 1) {
            return "[" + String.join("," + "\n".repeat(shape.length - 1 - dim) + " ".repeat(indent + 1), items) + "]";
        }
        // a vector: as many elements per line as fit in the line width
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (fmt.width + 2));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i += perLine) lines.add(String.join(", ", items.subList(i, Math.min(items.size(), i + perLine))));
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    private static String addSuffixes(String s, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(s);
        int lastLine = s.length() - s.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLine = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static int stride(int[] shape, int dim) {
        int s = 1;
        for (int i = dim + 1; i < shape.length; i++) s *= shape[i];
        return s;
    }

    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** PyTorch's {@code _Formatter}: the mode and width are fixed by the non-zero finite values. */
    private static final class Number {
        boolean intMode = true, sciMode;
        int width = 1;

        Number(List<Float> values) {
            double min = Double.MAX_VALUE, max = 0;
            List<Float> nonzero = new ArrayList<>();
            for (float x : values) {
                if (!Float.isFinite(x) || x == 0) continue;
                nonzero.add(x);
                min = Math.min(min, Math.abs((double) x));
                max = Math.max(max, Math.abs((double) x));
                if (x != Math.ceil(x)) intMode = false;
            }
            if (nonzero.isEmpty()) return;
            sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
            for (float x : nonzero) width = Math.max(width, raw(x).length());
        }

        /** The number without padding. */
        String raw(float x) {
            if (Float.isNaN(x)) return "nan";
            if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            String sign = x < 0 || (x == 0 && 1 / x < 0) ? "-" : "";
            BigDecimal a = new BigDecimal(Math.abs((double) x));
            if (sciMode) return sign + scientific(a);
            if (intMode) return sign + a.setScale(0, RoundingMode.HALF_EVEN).toPlainString() + ".";
            return sign + a.setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
        }

        String format(float x) {
            String s = raw(x);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }

        /** Python's {@code "{:.4e}"}: correctly rounded mantissa, exponent with a sign and at least two digits. */
        private static String scientific(BigDecimal a) {
            if (a.signum() == 0) return "0." + "0".repeat(PRECISION) + "e+00";
            BigDecimal r = a.round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            int exp = r.precision() - r.scale() - 1;
            String digits = r.unscaledValue().toString();
            digits = (digits + "0".repeat(PRECISION + 1)).substring(0, PRECISION + 1);
            String e = String.valueOf(Math.abs(exp));
            return digits.charAt(0) + "." + digits.substring(1) + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
    }
}
