package dev.nn4j.backend;

/**
 * The geometry of a sliding 2-D window over a {@code [C, H, W]} image: what im2col ({@link Kernels#im2col}) and
 * its adjoint col2im read and write. Padding is given at the start of each axis ({@code padTop}, {@code padLeft});
 * the end padding is implied by the output size, so asymmetric padding ("same" with an even kernel) needs nothing more.
 *
 * @param C         channels
 * @param H         input height, {@code W} input width
 * @param kH        kernel height, {@code kW} kernel width
 * @param strideH   vertical stride, {@code strideW} horizontal stride
 * @param padTop    rows of padding above the image, {@code padLeft} columns to its left
 * @param dilationH spacing of kernel rows, {@code dilationW} of kernel columns
 * @param outH      output rows, {@code outW} output columns
 */
public record Window2d(int C, int H, int W, int kH, int kW, int strideH, int strideW, int padTop, int padLeft,
                       int dilationH, int dilationW, int outH, int outW) {

    /** Checks every size and that the window fits at least once. */
    public Window2d {
        if (C <= 0 || H <= 0 || W <= 0 || kH <= 0 || kW <= 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0
                || padTop < 0 || padLeft < 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("Window2d: invalid geometry " + this);
        }
    }

    /**
     * The window with the given padding on each side; the output size is
     * {@code ⌊(H + padTop + padBottom − dilationH·(kH − 1) − 1) / strideH⌋ + 1} (and likewise for the width).
     * Throws, naming {@code op} and the sizes, when the padded input is smaller than the dilated kernel.
     */
    public static Window2d of(String op, int C, int H, int W, int kH, int kW, int strideH, int strideW,
                              int padTop, int padBottom, int padLeft, int padRight, int dilationH, int dilationW) {
        int spanH = dilationH * (kH - 1) + 1, spanW = dilationW * (kW - 1) + 1;
        int paddedH = H + padTop + padBottom, paddedW = W + padLeft + padRight;
        if (paddedH < spanH || paddedW < spanW) {
            throw new IllegalArgumentException(op + ": the padded input of size " + paddedH + "x" + paddedW
                    + " is smaller than the (dilated) kernel of size " + spanH + "x" + spanW + " (input " + H + "x" + W + ")");
        }
        return new Window2d(C, H, W, kH, kW, strideH, strideW, padTop, padLeft, dilationH, dilationW,
                (paddedH - spanH) / strideH + 1, (paddedW - spanW) / strideW + 1);
    }

    /** Rows of the column matrix, {@code C·kH·kW}. */
    public int rows() {
        return C * kH * kW;
    }

    /** Window positions, {@code outH·outW}. */
    public int positions() {
        return outH * outW;
    }
}
