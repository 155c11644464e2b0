package dev.nn4j.serve.http;

/**
 * Reads a short JSON number to the nearest double without making a String, for the common case of request data
 * such as {@code 0.1234} or {@code -2.5e-3}; anything else is left to the full parser.
 *
 * <p>Clinger's fast path: when the decimal significand {@code m} has at most 15 digits (so {@code m < 2^53} is exact
 * as a double) and the decimal exponent {@code e} satisfies {@code |e| ≤ 22} (so {@code 10^|e|} is exact), then
 * {@code m · 10^e} or {@code m / 10^-e} is one correctly rounded IEEE operation on exact operands, which is exactly
 * {@link Double#parseDouble}'s answer. Reference: W. D. Clinger, "How to Read Floating Point Numbers Accurately",
 * PLDI 1990.
 */
final class FastDecimal {
    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++, p *= 10) POWERS[i] = p;
    }

    private FastDecimal() {}

    /**
     * The double nearest the JSON number in {@code chars[offset, offset + length)}, or NaN when the number is outside
     * the fast path (more than 15 significant digits, a larger exponent, or text that is not a JSON number).
     */
    static double parse(char[] chars, int offset, int length) {
        int i = offset, end = offset + length;
        if (i >= end) return Double.NaN;
        boolean negative = chars[i] == '-';
        if (negative) i++;
        long m = 0;
        int digits = 0, exponent = 0;
        boolean any = false;
        for (; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
            any = true;
            if (m != 0 || chars[i] != '0') {
                m = m * 10 + (chars[i] - '0');
                if (++digits > 15) return Double.NaN;
            }
        }
        if (i < end && chars[i] == '.') {
            for (i++; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
                any = true;
                exponent--;
                if (m != 0 || chars[i] != '0') {
                    m = m * 10 + (chars[i] - '0');
                    if (++digits > 15) return Double.NaN;
                }
            }
        }
        if (!any) return Double.NaN;
        if (i < end && (chars[i] == 'e' || chars[i] == 'E')) {
            i++;
            boolean minus = i < end && chars[i] == '-';
            if (i < end && (chars[i] == '-' || chars[i] == '+')) i++;
            int e = 0, start = i;
            for (; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
                e = e * 10 + (chars[i] - '0');
                if (e > 1000) return Double.NaN;
            }
            if (i == start) return Double.NaN;
            exponent += minus ? -e : e;
        }
        if (i != end) return Double.NaN;
        double v;
        if (m == 0) v = 0;
        else if (exponent >= 0 && exponent <= 22) v = m * POWERS[exponent];
        else if (exponent < 0 && exponent >= -22) v = m / POWERS[-exponent];
        else return Double.NaN;
        return negative ? -v : v;
    }
}
