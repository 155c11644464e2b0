package dev.nn4j.autograd;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compares analytic gradients with central differences, naming the input and index of every mismatch.
 *
 * <p>Tensors are float32 only, so the function itself cannot run in double. What we can do in double is the
 * rest: the output is reduced to the scalar {@code L = Σ wᵢ yᵢ} (fixed random weights, so every output element
 * and every input direction is exercised) in double, and the difference quotient is formed in double. With
 * {@code eps = 1e-3} the float rounding of {@code y} (≈ 1e-7 relative) contributes ≈ 1e-4 relative error to the
 * quotient and the truncation error is O(eps²); a wrong rule (missing factor, sign or transposition) is off by
 * O(1), so the default tolerance {@code |a − n| ≤ 1e-3 + 1e-2·max(|a|, |n|)} separates the two by two orders of magnitude.
 */
public final class GradCheck {
    /** One mismatching element. */
    public record Failure(String input, int[] index, double analytic, double numeric) {
        @Override
        public String toString() {
            return input + Arrays.toString(index) + ": analytic " + analytic + " vs numeric " + numeric;
        }
    }

    private final double eps, atol, rtol;

    public GradCheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    public static GradCheck defaults() {
        return new GradCheck(1e-3, 1e-3, 1e-2);
    }

    /** Checks {@code f} with respect to positional inputs, named {@code input0, input1, …}. */
    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) named.put("input" + i, inputs[i]);
        defaults().assertClose(() -> f.apply(inputs), named);
    }

    /** Throws an {@link AssertionError} listing the first mismatches (parameter name and index) if any. */
    public void assertClose(Supplier<Tensor> f, Map<String, Tensor> inputs) {
        List<Failure> failures = compare(f, inputs);
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder("gradient check failed for " + failures.size() + " element(s):");
            failures.stream().limit(10).forEach(x -> sb.append("\n  ").append(x));
            throw new AssertionError(sb.toString());
        }
    }

    /**
     * All mismatches between analytic and numeric gradients of {@code f} with respect to {@code inputs}
     * (leaf tensors with {@code requiresGrad}, owning contiguous storage; {@code f} must read their current values).
     */
    public List<Failure> compare(Supplier<Tensor> f, Map<String, Tensor> inputs) {
        inputs.forEach((name, t) -> {
            if (!t.requiresGrad() || !t.isLeaf()) throw new IllegalArgumentException("GradCheck: input " + name + " must be a leaf with requiresGrad(true)");
            t.zeroGrad();
        });
        Tensor y = f.get();
        float[] w = new float[y.numel()];
        Generator gen = new Generator(1234);
        for (int i = 0; i < w.length; i++) w[i] = (float) (0.5 + gen.nextDouble());
        Tensor weights = Tensor.fromArray(w, y.shape());
        y.backward(weights);

        List<Failure> failures = new ArrayList<>();
        for (var e : inputs.entrySet()) {
            Tensor x = e.getValue();
            float[] v = x.array();
            float[] analytic = x.grad() == null ? new float[v.length] : x.grad().toFloatArray();
            for (int i = 0; i < v.length; i++) {
                float orig = v[i];
                v[i] = (float) (orig + eps);
                double plus = objective(f, w);
                v[i] = (float) (orig - eps);
                double minus = objective(f, w);
                v[i] = orig;
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[i];
                if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
                    failures.add(new Failure(e.getKey(), unravel(i, x.shape()), a, numeric));
                }
            }
        }
        return failures;
    }

    private static double objective(Supplier<Tensor> f, float[] w) {
        float[] y;
        try (var _ = NoGrad.enter()) {
            y = f.get().toFloatArray();
        }
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) w[i] * y[i];
        return s;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % Math.max(shape[d], 1);
            flat /= Math.max(shape[d], 1);
        }
        return idx;
    }
}
