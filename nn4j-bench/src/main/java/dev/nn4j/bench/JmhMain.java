package dev.nn4j.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks jar's entry point: runs JMH with its usual command line ({@code -h} lists the options), then
 * prints every {@link GemmBenchmark} result once more in GFLOP/s, which JMH cannot express itself.
 */
public final class JmhMain {
    private JmhMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListProfilers() || options.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args.length == 0 ? new String[] {"-h"} : args);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("GFLOP/s (GemmBenchmark):");
        System.out.printf(Locale.ROOT, "%-12s %8s %8s %12s%n", "shape", "threads", "GFLOP/s", "± (99.9%)");
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().endsWith("GemmBenchmark.matmul")) continue;
            GemmShape g = GemmShape.parse(r.getParams().getParam("shape"));
            var primary = r.getPrimaryResult();
            double perSecond = perSecond(primary.getScore(), r.getParams().getTimeUnit());
            double error = perSecond(primary.getScoreError(), r.getParams().getTimeUnit());
            System.out.printf(Locale.ROOT, "%-12s %8s %8.2f %12.2f%n", g.label(), r.getParams().getParam("threads"),
                    perSecond * g.flops() / 1e9, Double.isNaN(error) ? Double.NaN : error * g.flops() / 1e9);
        }
    }

    /** A throughput score in operations per {@code unit}, converted to operations per second. */
    static double perSecond(double score, TimeUnit unit) {
        return score * TimeUnit.SECONDS.toNanos(1) / unit.toNanos(1);
    }
}
