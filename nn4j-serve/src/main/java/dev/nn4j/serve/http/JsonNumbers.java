package dev.nn4j.serve.http;

import java.util.Arrays;

/**
 * The fast path for an infer request's numbers: finds {@code inputs[0].data} in the raw JSON bytes and, when it is an
 * array of plain numbers (flat, or nested with every array at one depth the same length), reads them straight from
 * the bytes in one pass that checks JSON's grammar. Jackson then parses only the rest of the body, the
 * {@link #skeleton()} with that array emptied.
 *
 * <p>Under load, tokenizing the 784 numbers of an image request with Jackson and converting each took about 40 % of
 * the server's Java samples (JFR); with this reader the server's CPU per request fell by about a third. Anything
 * unusual (an escaped key, a repeated key, a string or object among the data, a number {@link Scan#numbers()} cannot
 * read exactly, irregular nesting, content after the body) makes {@link #find} answer null, and {@link #read} answers
 * null for data that does not fit the checked shape or datatype: the caller then parses the whole body as before,
 * so every error is still reported by the one reader.
 */
final class JsonNumbers {
    /** Deepest nesting of {@code data} this reads; deeper arrays go to the full parser (and its rank limit). */
    private static final int MAX_DEPTH = 8;
    /**
     * Most significant digits a number may have here: 18 keep the significand below 2^63. Up to 15 (with an exponent
     * within ±22) the double is exact; longer ones are read to float32 through {@link Scan#roundsAlike}.
     */
    private static final int MAX_DIGITS = 18;
    /** 10^0 … 10^22, each exact as a double. */
    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int k = 0; k < POWERS.length; k++, p *= 10) POWERS[k] = p;
    }

    /** Thrown inside the skeleton's parse when its data cannot take the fast path after all; the caller starts over. */
    static final class Declined extends RuntimeException {
        Declined() {
            super(null, null, false, false);
        }
    }

    private final byte[] body;
    private final int end, open, close;
    private final int[] dims;
    private final float[] values;
    private final int count;
    private final boolean integral;
    private boolean consumed;

    private JsonNumbers(Scan s) {
        this.body = s.b;
        this.end = s.end;
        this.open = s.open;
        this.close = s.close;
        this.dims = Arrays.copyOf(s.dims, s.leafDepth + 1);
        this.values = s.values;
        this.count = s.count;
        this.integral = s.integral;
    }

    /** The data of {@code body[0, end)}, or null when it is absent or anything about the body leaves the fast path. */
    static JsonNumbers find(byte[] body, int end) {
        Scan s = new Scan(body, end);
        return s.document() && s.open >= 0 ? new JsonNumbers(s) : null;
    }

    /** The body with the data array emptied ({@code "data":[]}), for Jackson to parse and check. */
    byte[] skeleton() {
        byte[] s = new byte[open + 1 + end - close];
        System.arraycopy(body, 0, s, 0, open + 1);
        System.arraycopy(body, close, s, open + 1, end - close);
        return s;
    }

    /**
     * The values as float32 for an input of {@code shape} with integer {@code range} (null for floating types), or null
     * when the data does not match the shape (flat with another count, or nested other than {@code shape}), or an
     * integer datatype gets a fraction, an exponent or a value out of its range.
     */
    float[] read(int[] shape, double[] range, int expected) {
        if (count != expected || (dims.length > 1 && !Arrays.equals(dims, shape))) return null;
        if (range != null) {
            // only integers below 2^24, which float32 holds exactly, so the comparison is the full parser's: a larger
            // one could round onto a bound (-2147483649 becomes -2^31, INT32's minimum) and pass where it must not
            if (!integral) return null;
            for (int k = 0; k < count; k++) {
                float v = values[k];
                if (Math.abs(v) >= 0x1p24f || v < range[0] || v > range[1]) return null;
            }
        }
        consumed = true;
        return values.length == count ? values : Arrays.copyOf(values, count);
    }

    /** Whether {@link #read} handed the values out. */
    boolean consumed() {
        return consumed;
    }

    /**
     * A structural walk over the body that records where {@code inputs[0].data} opens and closes, checking the data's
     * JSON grammar and nesting on the way. Outside the data it only keeps its place (strings, brackets): Jackson checks
     * the rest when it parses the skeleton.
     */
    private static final class Scan {
        private final byte[] b;
        private final int end;
        private int i, open = -1, close = -1, count, leafDepth = -1, sizeHint = -1;
        private final int[] dims = new int[MAX_DEPTH];
        /** The numbers read so far, as float32, and whether all were written as integers. */
        private float[] values = new float[0];
        private boolean integral = true;

        Scan(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        /** The top-level object; false to leave the fast path. */
        boolean document() {
            ws();
            if (!at('{') || !members(true)) return false;
            ws();
            return i == end;
        }

        /**
         * The members of an object whose '{' was just read, up to its '}'. At the top level ({@code top}) the value
         * of {@code inputs} is searched for the data; otherwise (inside {@code inputs[0]}) the value of {@code data}
         * is the data.
         */
        private boolean members(boolean top) {
            ws();
            if (at('}')) return true;
            boolean seen = false;
            while (true) {
                int keyStart = i + 1;
                if (!string(true)) return false;
                int keyLength = i - 1 - keyStart;
                ws();
                if (!at(':')) return false;
                ws();
                boolean wanted = top ? is(keyStart, keyLength, "inputs") : is(keyStart, keyLength, "data");
                if (wanted) {
                    if (seen) return false; // a repeated key: the last one counts, which the full parser handles
                    seen = true;
                    if (!(top ? inputs() : data())) return false;
                } else {
                    if (!top && is(keyStart, keyLength, "shape")) sizeHint = shapeSize();
                    if (!skipValue()) return false;
                }
                ws();
                if (at('}')) return true;
                if (!at(',')) return false;
                ws();
            }
        }

        /** The value of {@code inputs}: an array whose first item is an object. */
        private boolean inputs() {
            if (!at('[')) return false;
            ws();
            if (!at('{') || !members(false)) return false;
            ws();
            while (at(',')) {
                ws();
                if (!skipValue()) return false;
                ws();
            }
            return at(']');
        }

        /** The value of {@code data}: an array of numbers or of arrays, regular in every dimension. */
        private boolean data() {
            if (i >= end || b[i] != '[') return false;
            open = i;
            // sized by the shape when it came first (as clients write it), so that read() can hand this array out
            values = new float[sizeHint > 0 && sizeHint <= (end - i) / 2 + 1 ? sizeHint : Math.min(1024, (end - i) / 2)];
            if (!array(0)) return false;
            close = i - 1;
            return true;
        }

        private boolean array(int depth) {
            if (depth >= MAX_DEPTH || !at('[')) return false;
            ws();
            if (i >= end || b[i] == ']') return false; // empty: left to the full parser's messages
            int items = 0;
            if (b[i] == '[') {
                while (true) {
                    if (!array(depth + 1)) return false;
                    items++;
                    ws();
                    if (at(']')) break;
                    if (!at(',')) return false;
                    ws();
                }
            } else {
                if (leafDepth < 0) leafDepth = depth;
                else if (leafDepth != depth) return false;
                items = numbers();
                if (items < 0) return false;
            }
            if (dims[depth] == 0) dims[depth] = items;
            else if (dims[depth] != items) return false;
            return true;
        }

        /**
         * The numbers of an array from its first one to just past its ']', each
         * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} stored as the float32 that the full parser would give
         * (the nearest double, cast): how many, or -1 for bad grammar, a number this cannot read exactly that way, or
         * one not finite as float32. The scan's fields are copied to locals for the loop (a profile under load had this
         * method at a fifth of the server's Java samples).
         *
         * <p>Clinger's fast path: when the decimal significand {@code m} has at most 15 digits (so {@code m < 2^53} is
         * exact as a double) and the decimal exponent {@code e} satisfies {@code |e| ≤ 22} (so {@code 10^|e|} is exact),
         * then {@code m · 10^e} or {@code m / 10^-e} is one correctly rounded IEEE operation on exact operands, which is
         * exactly {@link Double#parseDouble}'s answer. Reference: W. D. Clinger, "How to Read Floating Point Numbers
         * Accurately", PLDI 1990. Longer significands (up to {@link #MAX_DIGITS} digits, such as the 16–17 digits Python
         * writes for a float64) and exponents up to ±44 are computed to within {@code 2^-51} and kept only when no float32
         * rounding boundary lies that close ({@link #roundsAlike}).
         */
        private int numbers() {
            byte[] b = this.b;
            int end = this.end, i = this.i, n = this.count, items = 0;
            float[] out = this.values;
            boolean allWhole = this.integral;
            while (true) {
                boolean negative = i < end && b[i] == '-';
                if (negative) i++;
                if (i >= end) return -1;
                long m = 0;
                int digits = 0, exponent = 0;
                byte c = b[i];
                if (c == '0') {
                    i++;
                } else if (c >= '1' && c <= '9') {
                    do {
                        if (++digits > MAX_DIGITS) return -1;
                        m = m * 10 + (c - '0');
                    } while (++i < end && (c = b[i]) >= '0' && c <= '9');
                } else {
                    return -1;
                }
                boolean whole = true;
                if (i < end && b[i] == '.') {
                    whole = false;
                    int first = ++i;
                    for (; i < end && (c = b[i]) >= '0' && c <= '9'; i++) {
                        exponent--;
                        if (m != 0 || c != '0') {
                            if (++digits > MAX_DIGITS) return -1;
                            m = m * 10 + (c - '0');
                        }
                    }
                    if (i == first) return -1;
                }
                if (i < end && ((c = b[i]) == 'e' || c == 'E')) {
                    whole = false;
                    boolean minus = ++i < end && b[i] == '-';
                    if (i < end && (b[i] == '-' || b[i] == '+')) i++;
                    int e = 0, first = i;
                    for (; i < end && (c = b[i]) >= '0' && c <= '9'; i++) {
                        e = e * 10 + (c - '0');
                        if (e > 1000) return -1;
                    }
                    if (i == first) return -1;
                    exponent += minus ? -e : e;
                }
                boolean exact = digits <= 15 && exponent >= -22 && exponent <= 22;
                double d;
                if (m == 0) d = 0;
                else if (exact) d = exponent >= 0 ? m * POWERS[exponent] : m / POWERS[-exponent];
                else if (exponent >= -44 && exponent <= 44) d = scaled(m, exponent);
                else return -1;
                if (negative && !(whole && m == 0)) d = -d; // "-0" is the integer 0, as Jackson reads it; "-0.0" keeps its sign
                float v = (float) d;
                if (!Float.isFinite(v) || (!exact && m != 0 && !roundsAlike(d, v))) return -1;
                if (n == out.length) out = Arrays.copyOf(out, Math.max(16, 2 * n));
                out[n++] = v;
                allWhole &= whole;
                items++;
                while (i < end && isSpace(b[i])) i++;
                if (i >= end) return -1;
                c = b[i++];
                if (c == ']') break;
                if (c != ',') return -1;
                while (i < end && isSpace(b[i])) i++;
            }
            this.i = i;
            this.count = n;
            this.values = out;
            this.integral = allWhole;
            return items;
        }

        /**
         * The product of a {@code shape} value of small non-negative integers, such as {@code [1, 784]}, read without
         * moving past it; -1 for anything else. Only a hint for sizing the values: {@code shape} itself is checked by
         * the full parser.
         */
        private int shapeSize() {
            int k = i;
            if (k >= end || b[k++] != '[') return -1;
            long product = 1;
            int dims = 0;
            while (true) {
                while (k < end && isSpace(b[k])) k++;
                long d = 0;
                int first = k;
                while (k < end && b[k] >= '0' && b[k] <= '9' && k - first < 9) d = d * 10 + (b[k++] - '0');
                if (k == first) return -1;
                product *= d;
                if (product > 1 << 24 || ++dims > MAX_DEPTH) return -1;
                while (k < end && isSpace(b[k])) k++;
                if (k >= end) return -1;
                byte c = b[k++];
                if (c == ']') return (int) product;
                if (c != ',') return -1;
            }
        }

        /**
         * {@code m · 10^e} in double for {@code |e| ≤ 44}, with at most three roundings (m to double, then one or two
         * multiplies or divides by exact powers of ten): within {@code 2^-51} of the exact value, relatively.
         */
        private static double scaled(long m, int e) {
            double x = m;
            if (e > 22) return x * POWERS[22] * POWERS[e - 22];
            if (e >= 0) return x * POWERS[e];
            if (e >= -22) return x / POWERS[-e];
            return x / POWERS[22] / POWERS[-e - 22];
        }

        /**
         * Whether every double within {@code 2^-50·|d|} of {@code d} rounds to the float {@code v}: then the exact decimal
         * (within {@code 2^-51} of {@code d}) and its correctly rounded double (within {@code 2^-53} of it) both lie strictly
         * between the midpoints around {@code v}, so {@code v} is what the full parser's double, cast to float32, gives.
         * False near a midpoint (about one number in 2^26), for subnormal floats, and at the largest float.
         */
        private static boolean roundsAlike(double d, float v) {
            float a = Math.abs(v);
            if (a < Float.MIN_NORMAL || a == Float.MAX_VALUE) return false;
            double tolerance = Math.abs(d) * 0x1p-50;
            // midpoints between floats need 25 bits: exact in double
            return d - tolerance > ((double) v + Math.nextDown(v)) / 2 && d + tolerance < ((double) v + Math.nextUp(v)) / 2;
        }

        /** Skips any value: a string, an object or array (by its brackets), or a literal or number up to a delimiter. */
        private boolean skipValue() {
            if (i >= end) return false;
            byte c = b[i];
            if (c == '"') return string(false);
            if (c == '{' || c == '[') {
                int depth = 0;
                while (i < end) {
                    c = b[i];
                    if (c == '"') {
                        if (!string(false)) return false;
                        continue;
                    }
                    if (c == '{' || c == '[') depth++;
                    else if (c == '}' || c == ']') depth--;
                    i++;
                    if (depth == 0) return true;
                }
                return false;
            }
            int start = i;
            while (i < end && (c = b[i]) != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') i++;
            return i > start;
        }

        /** A string from its opening quote to just past its closing one; a key ({@code key}) may not hold escapes. */
        private boolean string(boolean key) {
            if (!at('"')) return false;
            while (i < end) {
                byte c = b[i++];
                if (c == '"') return true;
                if (c == '\\') {
                    if (key) return false;
                    i++;
                }
            }
            return false;
        }

        private boolean is(int start, int length, String word) {
            if (length != word.length()) return false;
            for (int k = 0; k < length; k++) if (b[start + k] != word.charAt(k)) return false;
            return true;
        }

        private boolean at(char c) {
            if (i < end && b[i] == c) {
                i++;
                return true;
            }
            return false;
        }

        private void ws() {
            while (i < end && isSpace(b[i])) i++;
        }

        private static boolean isSpace(byte c) {
            return c == ' ' || c == '\n' || c == '\r' || c == '\t';
        }
    }
}
