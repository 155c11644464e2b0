package dev.nn4j.bench;

import dev.nn4j.io.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the benchmark's child processes print: the {@code JSON {...}} result lines of the nn4j timers and
 * the PyTorch reference scripts, the children's CPU time from bash's {@code times}, and {@code /proc/stat}.
 */
public final class Outputs {
    private static final String PREFIX = "JSON ";
    /** A line of bash's {@code times}: user and system time as {@code 0m1.234s 0m0.056s}. */
    private static final Pattern TIMES = Pattern.compile("^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s$");

    private Outputs() {}

    /** Every line that starts with {@code JSON } parsed as a JSON object, in order; other lines are ignored. */
    public static List<Json.Obj> jsonLines(String output) {
        List<Json.Obj> out = new ArrayList<>();
        for (String line : output.split("\\R")) {
            String t = line.strip();
            if (!t.startsWith(PREFIX)) continue;
            Json j = Json.parse(t.substring(PREFIX.length()));
            if (!(j instanceof Json.Obj o)) throw new IllegalArgumentException("benchmark output line is JSON but not an object: " + t);
            out.add(o);
        }
        return out;
    }

    /**
     * The CPU seconds (user + system) of the waited-for children, from the last of the two lines bash's
     * {@code times} prints; NaN when the output has no such line.
     */
    public static double childCpuSeconds(String output) {
        double last = Double.NaN;
        for (String line : output.split("\\R")) {
            Matcher m = TIMES.matcher(line.strip());
            if (m.matches()) {
                last = 60 * Long.parseLong(m.group(1)) + Double.parseDouble(m.group(2))
                        + 60 * Long.parseLong(m.group(3)) + Double.parseDouble(m.group(4));
            }
        }
        return last;
    }

    /** A number member of a result line; an error naming the key and the line when it is missing or not a number. */
    public static double number(Json.Obj o, String key) {
        if (o.get(key) instanceof Json.Num n) return n.doubleValue();
        throw new IllegalArgumentException("benchmark result has no number '" + key + "': " + o.write());
    }

    /** A string member of a result line, or {@code fallback} when absent. */
    public static String string(Json.Obj o, String key, String fallback) {
        return o.get(key) instanceof Json.Str s ? s.value() : fallback;
    }

    /** An array of numbers, e.g. seed_mlp.py's {@code epoch_s}. */
    public static double[] numbers(Json.Obj o, String key) {
        if (!(o.get(key) instanceof Json.Arr a)) throw new IllegalArgumentException("benchmark result has no array '" + key + "': " + o.write());
        double[] v = new double[a.items().size()];
        for (int i = 0; i < v.length; i++) {
            if (!(a.items().get(i) instanceof Json.Num n)) throw new IllegalArgumentException("'" + key + "' holds a non-number: " + o.write());
            v[i] = n.doubleValue();
        }
        return v;
    }

    /**
     * Busy and steal seconds from the first line of {@code /proc/stat}
     * ({@code cpu user nice system idle iowait irq softirq steal ...}, in clock ticks of {@code 1/hz} s):
     * busy is everything but idle, iowait and steal. Returns {busy, steal}.
     */
    public static double[] procStatBusySteal(String firstLine, double hz) {
        String[] f = firstLine.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) throw new IllegalArgumentException("not the cpu line of /proc/stat: " + firstLine);
        long total = 0;
        long[] v = new long[8];
        for (int i = 0; i < 8; i++) {
            v[i] = Long.parseLong(f[i + 1]);
            total += v[i];
        }
        return new double[] {(total - v[3] - v[4] - v[7]) / hz, v[7] / hz};
    }

    /** The steady-state epoch time: the mean of all epochs after the first (the only one when there is one). */
    public static double steadyEpochSeconds(double[] epochSeconds) {
        if (epochSeconds.length == 0) throw new IllegalArgumentException("no epochs were timed");
        if (epochSeconds.length == 1) return epochSeconds[0];
        double sum = 0;
        for (int i = 1; i < epochSeconds.length; i++) sum += epochSeconds[i];
        return sum / (epochSeconds.length - 1);
    }
}
