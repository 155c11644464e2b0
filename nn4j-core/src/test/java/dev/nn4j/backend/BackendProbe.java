package dev.nn4j.backend;

import dev.nn4j.tensor.Tensor;

/**
 * A tiny program that {@link BackendTest} runs in a child JVM: it prints which kernels were chosen and whether a
 * matmul and a sigmoid through the chosen kernels give the known answers. It names no class of the vector package.
 */
final class BackendProbe {
    private BackendProbe() {}

    public static void main(String[] args) {
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]; σ(0) = 0.5
        Tensor c = Tensor.fromArray(new float[]{1, 2, 3, 4}, 2, 2).matmul(Tensor.fromArray(new float[]{5, 6, 7, 8}, 2, 2));
        boolean ok = c.get(0, 0) == 19f && c.get(0, 1) == 22f && c.get(1, 0) == 43f && c.get(1, 1) == 50f
                && Tensor.of(0f).sigmoid().get(0) == 0.5f;
        System.out.println("vectorized=" + Backend.vectorized() + " ok=" + ok);
    }
}
