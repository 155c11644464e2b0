package dev.nn4j.tensor;

import java.util.Arrays;

/**
 * Static helpers over shapes ({@code int[]} sizes) and strides: element counts, row-major strides,
 * NumPy broadcasting and dimension normalisation. Shapes are plain arrays so that views cost nothing.
 */
public final class Shape {
    private Shape() {}

    /** Number of elements of a tensor with these sizes; 1 for rank 0. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor of shape " + str(shape) + " has more than 2^31-1 elements");
        return (int) n;
    }

    /** Row-major (C order) strides for these sizes. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /** The broadcast shape of {@code a} and {@code b} under NumPy's rules, or an error naming {@code op} and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a tensor of {@code shape}/{@code strides} as if it had {@code target} shape (0 on broadcast dims). */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int shift = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            out[i + shift] = shape[i] == 1 && target[i + shift] != 1 ? 0 : strides[i];
        }
        return out;
    }

    /** A dimension index that may be negative (counting from the end), checked against {@code rank}. */
    public static int dim(int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= Math.max(rank, 1) || (rank == 0 && d != 0)) {
            throw new IllegalArgumentException("dimension " + dim + " is out of range for a tensor of rank " + rank);
        }
        return d;
    }

    /** {@link #dim(int, int)} for a tensor of {@code shape}, with an error naming {@code op} and the shape. */
    public static int dim(String op, int dim, int[] shape) {
        return dim(op, dim, shape.length, shape);
    }

    /** {@link #dim(int, int)} against {@code rank} (which may exceed the rank of {@code shape}, as for unsqueeze). */
    public static int dim(String op, int dim, int rank, int[] shape) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= Math.max(rank, 1) || (rank == 0 && d != 0)) {
            int lo = -Math.max(rank, 1), hi = Math.max(rank, 1) - 1;
            throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range [" + lo + ", " + hi
                    + "] for a tensor of shape " + str(shape));
        }
        return d;
    }

    /** Sorted, de-duplicated, non-negative dimension indices. */
    public static int[] dims(int[] dims, int rank) {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dim(dims[i], rank);
        out = Arrays.stream(out).sorted().distinct().toArray();
        if (out.length != dims.length) throw new IllegalArgumentException("repeated dimension in " + Arrays.toString(dims));
        return out;
    }

    /** {@link #dims(int[], int)} for a tensor of {@code shape}, with errors naming {@code op} and the shape. */
    public static int[] dims(String op, int[] dims, int[] shape) {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dim(op, dims[i], shape);
        out = Arrays.stream(out).sorted().distinct().toArray();
        if (out.length != dims.length) {
            throw new IllegalArgumentException(op + ": repeated dimension in " + Arrays.toString(dims) + " for a tensor of shape " + str(shape));
        }
        return out;
    }

    /** {@code [2, 3]} formatting, as in every shape error. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
