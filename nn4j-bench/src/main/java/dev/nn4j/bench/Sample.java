package dev.nn4j.bench;

import dev.nn4j.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured number of the side-by-side benchmark: which figure ({@code section}, {@code key}, {@code metric}),
 * who produced it ({@code side} nn4j or torch, under a thread {@code setting}), in which repetition, and how many
 * cores other processes kept busy meanwhile ({@code othersCores}, NaN when unknown).
 *
 * @param section     {@code gemm}, {@code train} or {@code infer}
 * @param key         what was measured within the section, e.g. {@code 1024^3@2} or {@code fast}
 * @param metric      e.g. {@code gflops}, {@code epoch_s}, {@code acc}, {@code b1_median_us}
 * @param side        {@code nn4j} or {@code torch}
 * @param setting     the thread setting: {@code 1}, {@code 2} or {@code 2-passive}
 * @param rep         repetition, from 1
 * @param value       the number
 * @param othersCores CPU contention during the run that produced it
 */
public record Sample(String section, String key, String metric, String side, String setting, int rep, double value, double othersCores) {

    /** This sample as one JSON object (one line of {@code results.jsonl}). */
    public String toJson() {
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("type", Json.of("sample"));
        m.put("section", Json.of(section));
        m.put("key", Json.of(key));
        m.put("metric", Json.of(metric));
        m.put("side", Json.of(side));
        m.put("setting", Json.of(setting));
        m.put("rep", Json.of(rep));
        m.put("value", Json.of(value));
        if (Double.isFinite(othersCores)) m.put("others_cores", Json.of(othersCores));
        return new Json.Obj(m).write();
    }
}
