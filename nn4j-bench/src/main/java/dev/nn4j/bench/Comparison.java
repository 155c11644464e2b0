package dev.nn4j.bench;

import dev.nn4j.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the benchmark's table: an nn4j figure against PyTorch's at its best thread setting, their ratio, and
 * the target for that ratio. {@link #evaluate} takes the medians over repetitions of the samples that match.
 *
 * @param label         what the row says, e.g. {@code sgemm 1024^3 GFLOP/s, 2 threads}
 * @param section       the samples' section
 * @param metric        the samples' metric
 * @param kind          how nn4j is compared: higher is better, lower is better, or the same within a margin
 * @param target        the ratio to reach (for {@code SAME}: the largest allowed |nn4j − torch|); NaN for none
 * @param nn4jKey       the nn4j samples' key
 * @param nn4jSetting   the nn4j samples' thread setting
 * @param torchKey      the PyTorch samples' key
 * @param torchSettings the PyTorch settings to choose the best from ({@code SAME}: pooled)
 */
public record Comparison(String label, String section, String metric, Kind kind, double target,
                         String nn4jKey, String nn4jSetting, String torchKey, List<String> torchSettings) {

    /** How nn4j's figure is judged against PyTorch's. */
    public enum Kind {
        /** Throughput: the best PyTorch setting has the highest median; met when ratio ≥ target. */
        HIGHER,
        /** Time: the best PyTorch setting has the lowest median; met when ratio ≤ target. */
        LOWER,
        /** Accuracy: PyTorch's samples are pooled over settings; met when |nn4j − torch| ≤ target. */
        SAME
    }

    /**
     * The outcome of a row.
     *
     * @param torchSetting the PyTorch setting chosen as best ({@code pooled} for {@code SAME})
     * @param met          null when there is no target or a side has no samples
     * @param maxOthers    the most cores other processes kept busy during any sample of the row (NaN if unknown)
     */
    public record Result(Comparison row, double nn4j, int nn4jCount, String torchSetting, double torch, int torchCount,
                         double ratio, Boolean met, double maxOthers) {

        /** This row as one JSON object (a {@code "type":"summary"} line of {@code results.jsonl}). */
        public String toJson() {
            Map<String, Json> m = new LinkedHashMap<>();
            m.put("type", Json.of("summary"));
            m.put("label", Json.of(row.label));
            m.put("section", Json.of(row.section));
            m.put("metric", Json.of(row.metric));
            put(m, "nn4j_median", nn4j);
            m.put("nn4j_reps", Json.of(nn4jCount));
            m.put("nn4j_threads", Json.of(row.nn4jSetting));
            m.put("torch_setting", Json.of(torchSetting));
            put(m, "torch_median", torch);
            m.put("torch_reps", Json.of(torchCount));
            put(m, "ratio", ratio);
            m.put("kind", Json.of(row.kind.name().toLowerCase(Locale.ROOT)));
            put(m, "target", row.target);
            m.put("met", met == null ? new Json.Null() : Json.of(met));
            put(m, "max_others_cores", maxOthers);
            return new Json.Obj(m).write();
        }

        private static void put(Map<String, Json> m, String key, double v) {
            m.put(key, Double.isFinite(v) ? Json.of(v) : new Json.Null());
        }
    }

    /** Medians of the matching samples, the best PyTorch setting, the ratio and whether the target is met. */
    public Result evaluate(List<Sample> samples) {
        List<Double> mine = values(samples, "nn4j", nn4jKey, List.of(nn4jSetting));
        double maxOthers = Double.NaN;
        for (Sample s : samples) {
            boolean inRow = s.section().equals(section) && s.metric().equals(metric)
                    && (s.side().equals("nn4j") ? s.key().equals(nn4jKey) && s.setting().equals(nn4jSetting)
                    : s.key().equals(torchKey) && torchSettings.contains(s.setting()));
            if (inRow && !Double.isNaN(s.othersCores())) maxOthers = Double.isNaN(maxOthers) ? s.othersCores() : Math.max(maxOthers, s.othersCores());
        }
        double nn4j = mine.isEmpty() ? Double.NaN : Stats.median(mine);
        String bestSetting = "-";
        double torch = Double.NaN;
        int torchCount = 0;
        if (kind == Kind.SAME) {
            List<Double> pooled = values(samples, "torch", torchKey, torchSettings);
            if (!pooled.isEmpty()) {
                bestSetting = "pooled";
                torch = Stats.median(pooled);
                torchCount = pooled.size();
            }
        } else {
            for (String setting : torchSettings) {
                List<Double> v = values(samples, "torch", torchKey, List.of(setting));
                if (v.isEmpty()) continue;
                double med = Stats.median(v);
                if (Double.isNaN(torch) || (kind == Kind.HIGHER ? med > torch : med < torch)) {
                    torch = med;
                    bestSetting = setting;
                    torchCount = v.size();
                }
            }
        }
        double ratio = Stats.ratio(nn4j, torch);
        Boolean met = null;
        if (!Double.isNaN(target) && !Double.isNaN(nn4j) && !Double.isNaN(torch)) {
            met = switch (kind) {
                case HIGHER -> ratio >= target;
                case LOWER -> ratio <= target;
                case SAME -> Math.abs(nn4j - torch) <= target;
            };
        }
        return new Result(this, nn4j, mine.size(), bestSetting, torch, torchCount, ratio, met, maxOthers);
    }

    private List<Double> values(List<Sample> samples, String side, String key, List<String> settings) {
        List<Double> v = new ArrayList<>();
        for (Sample s : samples) {
            if (s.side().equals(side) && s.section().equals(section) && s.metric().equals(metric) && s.key().equals(key)
                    && settings.contains(s.setting())) v.add(s.value());
        }
        return v;
    }

    /** The printed table: one line per row, with medians, the chosen PyTorch setting, the ratio and the target. */
    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-46s %12s %12s %-10s %8s %-9s %-5s %s%n",
                "figure", "nn4j", "PyTorch", "(threads)", "ratio", "target", "met", "others"));
        for (Result r : results) {
            Comparison c = r.row;
            String target = Double.isNaN(c.target) ? "-" : switch (c.kind) {
                case HIGHER -> "≥ " + fmt(c.target);
                case LOWER -> "≤ " + fmt(c.target);
                case SAME -> "±" + fmt(c.target);
            };
            String met = r.met == null ? "-" : r.met ? "yes" : "NO";
            out.append(String.format(Locale.ROOT, "%-46s %12s %12s %-10s %8s %-9s %-5s %s%n", c.label,
                    fmt(r.nn4j) + " ×" + r.nn4jCount, fmt(r.torch) + " ×" + r.torchCount, "(" + r.torchSetting + ")",
                    c.kind == Kind.SAME ? fmt(r.nn4j - r.torch) : fmt(r.ratio), target, met,
                    Double.isNaN(r.maxOthers) ? "?" : String.format(Locale.ROOT, "%.2f", r.maxOthers)));
        }
        return out.toString();
    }

    /** Three significant figures, at most four decimals. */
    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
