package dev.nn4j.serve.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast decimal reader answers exactly {@link Double#parseDouble} on its fast path and NaN (defer) elsewhere. */
class FastDecimalTest {
    private static double parse(String s) {
        char[] padded = ("xx" + s + "yy").toCharArray(); // offsets into a bigger buffer, as the parser hands them
        return FastDecimal.parse(padded, 2, s.length());
    }

    @Test
    void matchesParseDoubleBitForBitOnRandomShortDecimals() {
        Random random = new Random(11);
        int fast = 0;
        for (int k = 0; k < 200_000; k++) {
            double x = (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(40) - 20);
            String s = switch (k % 5) {
                case 0 -> Double.toString(x);
                case 1 -> Float.toString((float) x);
                case 2 -> String.format(Locale.ROOT, "%.4f", x);
                case 3 -> String.format(Locale.ROOT, "%." + random.nextInt(15) + "e", x);
                default -> String.format(Locale.ROOT, "%.6E", x).replace("E+", "E");
            };
            double d = parse(s);
            if (!Double.isNaN(d)) {
                fast++;
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(d), s);
            }
        }
        assertTrue(fast > 100_000, "only " + fast + " of 200000 on the fast path");
    }

    @Test
    void edgeCasesAreExactOrDeferred() {
        for (String s : List.of("0", "-0", "0.0", "-0.0", "1", "0.1", "0.1234", "-2.5e-3", "1E22", "1e-22", "123456789012345",
                "0.000000000000000000001", "9007199254740991", "4.9e-5", "1e0", "1e+5", "00.5e1")) {
            double d = parse(s);
            if (!Double.isNaN(d)) assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(d), s);
        }
        assertEquals(-0.0, parse("-0.0"));
        assertEquals(0.1234, parse("0.1234"));
        assertEquals(-2.5e-3, parse("-2.5e-3"));
        // outside the fast path: more than 15 digits, exponent past 22, not a number
        for (String s : List.of("1234567890123456", "0.12345678901234567", "1e23", "1e-23", "1e400", "", "-", ".", "e5", "1e", "1.5x", "NaN")) {
            assertTrue(Double.isNaN(parse(s)), s);
        }
    }
}
