package dev.nn4j.bench;

import dev.nn4j.io.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The side-by-side harness's own arithmetic and parsing, on hand-made outputs; no benchmark runs here. */
class HarnessTest {

    @Test
    void medianOfOddAndEvenCountsAndRejectsNone() {
        assertEquals(3.0, Stats.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));   // (2 + 3) / 2
        assertEquals(7.0, Stats.median(new double[] {7}));
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
    }

    @Test
    void percentileUsesInferPyNearestRankWithHalvesToEven() {
        double[] sorted = new double[101];
        for (int i = 0; i <= 100; i++) sorted[i] = i * 10;
        assertEquals(990, Stats.percentile(sorted, 0.99));             // round(0.99·100) = 99
        assertEquals(0, Stats.percentile(sorted, 0));
        assertEquals(1000, Stats.percentile(sorted, 1));
        // n = 4: 0.5·3 = 1.5 rounds to 2 (as Python's round), not 1
        assertEquals(30, Stats.percentile(new double[] {10, 20, 30, 40}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(sorted, 1.5));
    }

    @Test
    void ratioIsNn4jOverReferenceAndNaNWithoutReference() {
        assertEquals(0.8, Stats.ratio(80, 100), 1e-12);
        assertTrue(Double.isNaN(Stats.ratio(1, 0)));
        assertTrue(Double.isNaN(Stats.ratio(1, Double.NaN)));
    }

    @Test
    void jsonLinesAreFoundAmongOtherOutput() {
        String out = """
                torch 1.13.1 | torch.get_num_threads()=2
                epoch  1: train   2.9s
                JSON {"script": "seed_mlp.py", "epoch_s": [3.1, 2.5, 2.7], "final_test_acc": 0.8512}
                saved x.pt
                """;
        List<Json.Obj> lines = Outputs.jsonLines(out);
        assertEquals(1, lines.size());
        assertEquals(0.8512, Outputs.number(lines.getFirst(), "final_test_acc"), 1e-12);
        double[] epochs = Outputs.numbers(lines.getFirst(), "epoch_s");
        assertEquals(2.6, Outputs.steadyEpochSeconds(epochs), 1e-12);      // mean of 2.5 and 2.7; the first epoch is left out
        assertEquals("seed_mlp.py", Outputs.string(lines.getFirst(), "script", "?"));
        assertThrows(IllegalArgumentException.class, () -> Outputs.number(lines.getFirst(), "missing"));
        assertThrows(IllegalArgumentException.class, () -> Outputs.jsonLines("JSON [1, 2]"));
    }

    @Test
    void steadyEpochOfOneEpochIsThatEpoch() {
        assertEquals(4.0, Outputs.steadyEpochSeconds(new double[] {4.0}));
        assertThrows(IllegalArgumentException.class, () -> Outputs.steadyEpochSeconds(new double[0]));
    }

    @Test
    void childCpuIsTheLastLineOfBashTimes() {
        // bash's times: the shell's own user/sys, then the children's
        String out = "JSON {}\n0m0.004s 0m0.002s\n1m2.500s 0m0.750s\n";
        assertEquals(62.5 + 0.75, Outputs.childCpuSeconds(out), 1e-9);
        assertTrue(Double.isNaN(Outputs.childCpuSeconds("no times here")));
    }

    @Test
    void procStatBusyLeavesOutIdleIowaitAndSteal() {
        // user nice system idle iowait irq softirq steal guest guest_nice, in ticks of 1/100 s
        double[] busySteal = Outputs.procStatBusySteal("cpu  100 10 50 1000 20 5 5 30 0 0", 100);
        assertEquals((100 + 10 + 50 + 5 + 5) / 100.0, busySteal[0], 1e-12);
        assertEquals(0.30, busySteal[1], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Outputs.procStatBusySteal("intr 1 2 3", 100));
    }

    @Test
    void throughputRowTakesTheBestTorchSettingByMedian() {
        List<Sample> s = new ArrayList<>();
        for (double v : new double[] {90, 100, 95}) s.add(new Sample("gemm", "1024^3", "gflops", "nn4j", "2", 1, v, 0.1));
        for (double v : new double[] {110, 120, 115}) s.add(new Sample("gemm", "1024^3", "gflops", "torch", "1", 1, v, 0.2));
        for (double v : new double[] {200, 10, 20}) s.add(new Sample("gemm", "1024^3", "gflops", "torch", "2", 1, v, 1.5));   // median 20
        s.add(new Sample("gemm", "1024^3", "gflops", "nn4j", "1", 1, 1000, 0));   // another thread setting: not in the row
        Comparison row = new Comparison("sgemm", "gemm", "gflops", Comparison.Kind.HIGHER, 0.8, "1024^3", "2", "1024^3", List.of("1", "2", "2-passive"));
        Comparison.Result r = row.evaluate(s);
        assertEquals(95, r.nn4j());
        assertEquals(3, r.nn4jCount());
        assertEquals("1", r.torchSetting());
        assertEquals(115, r.torch());
        assertEquals(95 / 115.0, r.ratio(), 1e-12);
        assertEquals(Boolean.TRUE, r.met());                  // 0.826 ≥ 0.8
        assertEquals(1.5, r.maxOthers());
        assertTrue(Comparison.table(List.of(r)).contains("(1)"));
    }

    @Test
    void timeRowTakesTheFastestTorchSettingAndChecksAnUpperBound() {
        List<Sample> s = List.of(
                new Sample("train", "mlp", "epoch_s", "nn4j", "2", 1, 2.0, Double.NaN),
                new Sample("train", "fast", "epoch_s", "torch", "1", 1, 3.0, Double.NaN),
                new Sample("train", "fast", "epoch_s", "torch", "2-passive", 1, 2.5, Double.NaN));
        Comparison.Result r = new Comparison("epoch", "train", "epoch_s", Comparison.Kind.LOWER, 0.5, "mlp", "2", "fast",
                List.of("1", "2", "2-passive")).evaluate(s);
        assertEquals("2-passive", r.torchSetting());
        assertEquals(0.8, r.ratio(), 1e-12);
        assertEquals(Boolean.FALSE, r.met());                 // 0.8 > 0.5
        assertTrue(Double.isNaN(r.maxOthers()));
        assertTrue(r.toJson().contains("\"met\":false"));
    }

    @Test
    void accuracyRowPoolsTorchSettingsAndAllowsHalfAPoint() {
        List<Sample> s = List.of(
                new Sample("train", "mlp", "acc", "nn4j", "2", 1, 0.880, 0),
                new Sample("train", "fast", "acc", "torch", "1", 1, 0.884, 0),
                new Sample("train", "fast", "acc", "torch", "2", 1, 0.876, 0),
                new Sample("train", "fast", "acc", "torch", "2-passive", 1, 0.870, 0));
        Comparison row = new Comparison("acc", "train", "acc", Comparison.Kind.SAME, 0.005, "mlp", "2", "fast", List.of("1", "2", "2-passive"));
        Comparison.Result r = row.evaluate(s);
        assertEquals("pooled", r.torchSetting());
        assertEquals(0.876, r.torch(), 1e-12);
        assertEquals(Boolean.TRUE, r.met());                  // |0.880 − 0.876| = 0.004
        Comparison.Result off = row.evaluate(List.of(s.get(0), new Sample("train", "fast", "acc", "torch", "1", 1, 0.89, 0)));
        assertEquals(Boolean.FALSE, off.met());               // 1 point apart
    }

    @Test
    void rowWithoutSamplesOrTargetIsNotJudged() {
        Comparison.Result none = new Comparison("x", "infer", "b1_p99_us", Comparison.Kind.LOWER, Double.NaN, "mlp", "2", "mlp", List.of("1"))
                .evaluate(List.of(new Sample("infer", "mlp", "b1_p99_us", "nn4j", "2", 1, 50, 0)));
        assertNull(none.met());
        assertTrue(Double.isNaN(none.ratio()));
        assertTrue(none.toJson().contains("\"torch_median\":null"));
    }

    @Test
    void gemmShapesParseBothFormsAndCountFlops() {
        GemmShape g = GemmShape.parse("dW1-b64=784x64x256:TN");
        assertEquals(new GemmShape("dW1-b64", 784, 64, 256, "TN"), g);
        assertTrue(g.transA());
        assertFalse(g.transB());
        assertEquals(2.0 * 784 * 64 * 256, g.flops());
        assertEquals(g, GemmShape.parse("dW1-b64"));
        for (GemmShape s : GemmShape.STANDARD) assertEquals(s, GemmShape.parse(s.spec()));
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("nope"));
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("x=1x2:NN"));
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("x=1x2x3:TT"));
    }

    @Test
    void jmhThroughputConvertsToPerSecond() {
        assertEquals(5.0, JmhMain.perSecond(5.0, TimeUnit.SECONDS));
        assertEquals(5000.0, JmhMain.perSecond(5.0, TimeUnit.MILLISECONDS));
    }

    @Test
    void quickOptionsShortenTheRunAndLaterOptionsWin() {
        SideBySide.Options o = SideBySide.Options.parse(new String[] {"--quick", "--reps", "5", "--sections", "gemm,infer", "--root", "/tmp/r"});
        assertEquals(5, o.reps);
        assertEquals(2, o.epochs);
        assertEquals(List.of("gemm", "infer"), o.sections);
        assertEquals(o.torchSettings, o.seedSettings);
        assertEquals("/tmp/r/nn4j-cli/target/nn4j.jar", o.nn4jJar.toString());
        assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse(new String[] {"--torch-settings", "3"}));
        SideBySide.Options blas = SideBySide.Options.parse(new String[] {"--torch-env", "LD_LIBRARY_PATH=/x=y", "--torch-env", "OPENBLAS_CORETYPE=SkylakeX"});
        assertEquals("/x=y", blas.torchEnv.get("LD_LIBRARY_PATH"));
        assertEquals("SkylakeX", blas.torchEnv.get("OPENBLAS_CORETYPE"));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse(new String[] {"--torch-env", "=x"}));
        assertEquals("2", SideBySide.threads("2-passive"));
        assertEquals("passive", SideBySide.env("2-passive").get("OMP_WAIT_POLICY"));
        assertTrue(SideBySide.env("2").isEmpty());
    }

    @Test
    void cnnSectionIsChosenByNameWithItsOwnEpochCount() {
        SideBySide.Options o = SideBySide.Options.parse(new String[] {"--sections", "cnn,train", "--cnn-epochs", "3"});
        assertEquals(List.of("cnn", "train"), o.sections);
        assertEquals(3, o.cnnEpochs);
        assertEquals(2, SideBySide.Options.parse(new String[0]).cnnEpochs);
        assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse(new String[] {"--cnn-epochs", "0"}));
    }

    @Test
    void interleavingAlternatesSidesAndFlipsTheStart() {
        List<String> order = new ArrayList<>();
        List<Runnable> nn4j = List.of(() -> order.add("n1"));
        List<Runnable> torch = List.of(() -> order.add("t1"), () -> order.add("t2"), () -> order.add("t3"));
        SideBySide.interleave(nn4j, torch, false);
        assertEquals(List.of("n1", "t1", "t2", "t3"), order);
        order.clear();
        SideBySide.interleave(nn4j, torch, true);
        assertEquals(List.of("t1", "n1", "t2", "t3"), order);
    }
}
