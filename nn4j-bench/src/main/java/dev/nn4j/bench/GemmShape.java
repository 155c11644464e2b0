package dev.nn4j.bench;

import java.util.List;
import java.util.Locale;

/**
 * One sgemm problem {@code C[M,N] = op(A)·op(B)} as the benchmarks name it: {@code M}, {@code K}, {@code N} and the
 * layout ({@code NN}: A·B, {@code NT}: A·Bᵀ as {@code nn.Linear}'s forward, {@code TN}: Aᵀ·B as its weight gradient).
 * The same names are used by the JMH benchmark, {@link GemmTimer} and {@code bench/reference/gemm.py}.
 *
 * @param label  a short stable name, e.g. {@code fwd1-b64}
 * @param M      rows of the output
 * @param K      the reduced dimension
 * @param N      columns of the output
 * @param layout {@code NN}, {@code NT} or {@code TN}
 */
public record GemmShape(String label, int M, int K, int N, String layout) {
    /**
     * 1024³ and the 784-256-10 MLP's multiplies at batch 64 and 256: layer-1 and layer-2 forward (x·Wᵀ) and the
     * layer-1 weight gradient (xᵀ·g, i.e. (784×B)·(B×256)).
     */
    public static final List<GemmShape> STANDARD = List.of(
            new GemmShape("1024^3", 1024, 1024, 1024, "NN"),
            new GemmShape("fwd1-b64", 64, 784, 256, "NT"),
            new GemmShape("fwd2-b64", 64, 256, 10, "NT"),
            new GemmShape("dW1-b64", 784, 64, 256, "TN"),
            new GemmShape("fwd1-b256", 256, 784, 256, "NT"),
            new GemmShape("fwd2-b256", 256, 256, 10, "NT"),
            new GemmShape("dW1-b256", 784, 256, 256, "TN"));

    public GemmShape {
        if (M < 1 || K < 1 || N < 1) throw new IllegalArgumentException("GemmShape " + label + ": M, K, N must be positive but were " + M + ", " + K + ", " + N);
        if (!List.of("NN", "NT", "TN").contains(layout)) throw new IllegalArgumentException("GemmShape " + label + ": layout must be NN, NT or TN but was " + layout);
    }

    /** Floating-point operations of one multiply: {@code 2·M·N·K}. */
    public double flops() {
        return 2.0 * M * N * K;
    }

    public boolean transA() {
        return layout.charAt(0) == 'T';
    }

    public boolean transB() {
        return layout.charAt(1) == 'T';
    }

    /** The compact form {@code label=MxKxN:LAYOUT} that {@link #parse} reads back (the JMH parameter value). */
    public String spec() {
        return String.format(Locale.ROOT, "%s=%dx%dx%d:%s", label, M, K, N, layout);
    }

    /** Parses {@code label=MxKxN:LAYOUT}, or one of the {@link #STANDARD} labels alone. */
    public static GemmShape parse(String spec) {
        String s = spec.trim();
        if (!s.contains("=")) {
            for (GemmShape g : STANDARD) if (g.label.equals(s)) return g;
            throw new IllegalArgumentException("unknown GEMM shape '" + spec + "'; give label=MxKxN:LAYOUT or one of " + labels(STANDARD));
        }
        try {
            String label = s.substring(0, s.indexOf('='));
            String[] dimsAndLayout = s.substring(s.indexOf('=') + 1).split(":");
            String[] dims = dimsAndLayout[0].split("x");
            String layout = dimsAndLayout.length > 1 ? dimsAndLayout[1] : "NN";
            return new GemmShape(label, Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]), layout);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)) throw e;
            throw new IllegalArgumentException("cannot read GEMM shape '" + spec + "'; expected label=MxKxN:LAYOUT, e.g. fwd1-b64=64x784x256:NT", e);
        }
    }

    static String labels(List<GemmShape> shapes) {
        return String.join(", ", shapes.stream().map(GemmShape::label).toList());
    }
}
