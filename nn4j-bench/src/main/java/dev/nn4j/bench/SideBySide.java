package dev.nn4j.bench;

import dev.nn4j.io.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The side-by-side benchmark behind {@code bench/run}: runs nn4j and the PyTorch reference scripts
 * ({@code bench/reference/}) as child processes, interleaved (each repetition alternates which side goes first),
 * for sgemm, seed-MLP training on Fashion-MNIST, inference, and the {@code cnn} network (training and inference); then prints medians over repetitions, the
 * nn4j/PyTorch ratios against PyTorch at its best thread setting, and the targets. Every child's output is
 * kept under {@code OUT/logs/}; every sample and summary row is a line of {@code OUT/results.jsonl}. Each child run
 * carries a CPU-contention probe ({@code others_cores}: cores other processes kept busy meanwhile, from
 * {@code /proc/stat} minus the child's own CPU time), as {@code common.py}'s {@code CpuProbe} measures it.
 */
public final class SideBySide {
    private final Options o;
    private final List<Sample> samples = new ArrayList<>();
    private final Path results;
    /** The JVM options of {@code nn4j train} (read at the start: a missing file fails before anything runs). */
    private final List<String> trainOptions;
    private Path nn4jModel, torchModel;

    private SideBySide(Options o) {
        this.o = o;
        this.results = o.out.resolve("results.jsonl");
        this.trainOptions = TrainJvmOptions.read(o.root);
    }

    /** Command-line options; {@code --quick} changes the defaults of the others, which can still be given after it. */
    static final class Options {
        Path root = Path.of("."), out, nn4jJar, benchJar;
        String python = "/usr/bin/python3";
        int reps = 3, epochs = 5, calls = 5000, passes = 10;
        double gemmMinTime = 1.0;
        int cnnEpochs = 2;
        List<String> sections = List.of("gemm", "train", "infer");
        List<String> torchSettings = List.of("1", "2", "2-passive");
        List<String> seedSettings = null;
        List<String> gemmShapes = GemmShape.STANDARD.stream().map(GemmShape::label).toList();
        Map<String, String> torchEnv = new LinkedHashMap<>();
        List<String> args;

        static Options parse(String[] args) {
            Options o = new Options();
            o.args = List.of(args);
            if (o.args.contains("--quick")) {
                o.reps = 3;
                o.epochs = 2;
                o.calls = 2000;
                o.passes = 5;
                o.gemmMinTime = 0.4;
            }
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> { }
                    case "--root" -> o.root = Path.of(args[++i]);
                    case "--out" -> o.out = Path.of(args[++i]);
                    case "--nn4j-jar" -> o.nn4jJar = Path.of(args[++i]);
                    case "--bench-jar" -> o.benchJar = Path.of(args[++i]);
                    case "--python" -> o.python = args[++i];
                    case "--reps" -> o.reps = positive(a, args[++i]);
                    case "--epochs" -> o.epochs = positive(a, args[++i]);
                    case "--calls" -> o.calls = positive(a, args[++i]);
                    case "--passes" -> o.passes = positive(a, args[++i]);
                    case "--gemm-min-time" -> o.gemmMinTime = Double.parseDouble(args[++i]);
                    case "--sections" -> o.sections = list(args[++i], List.of("gemm", "train", "infer", "cnn"), a);
                    case "--cnn-epochs" -> o.cnnEpochs = positive(a, args[++i]);
                    case "--torch-settings" -> o.torchSettings = list(args[++i], List.of("1", "2", "2-passive"), a);
                    case "--seed-settings" -> o.seedSettings = list(args[++i], List.of("1", "2", "2-passive"), a);
                    case "--shapes" -> o.gemmShapes = Arrays.asList(args[++i].split(","));
                    case "--torch-env" -> {
                        String kv = args[++i];
                        if (kv.indexOf('=') < 1) throw new IllegalArgumentException("--torch-env expects KEY=VALUE but got '" + kv + "'");
                        o.torchEnv.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                    }
                    default -> throw new IllegalArgumentException("bench: unknown option '" + a + "'; see bench/run --help");
                }
            }
            if (o.seedSettings == null) o.seedSettings = o.torchSettings;
            if (o.out == null) o.out = o.root.resolve("bench/results/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (o.nn4jJar == null) o.nn4jJar = o.root.resolve("nn4j-cli/target/nn4j.jar");
            if (o.benchJar == null) o.benchJar = o.root.resolve("nn4j-bench/target/benchmarks.jar");
            for (String s : o.gemmShapes) GemmShape.parse(s);
            return o;
        }

        private static int positive(String option, String value) {
            int v = Integer.parseInt(value);
            if (v < 1) throw new IllegalArgumentException(option + " must be at least 1 but was " + v);
            return v;
        }

        private static List<String> list(String value, List<String> allowed, String option) {
            List<String> v = Arrays.asList(value.split(","));
            for (String s : v) if (!allowed.contains(s)) throw new IllegalArgumentException(option + ": '" + s + "' is not one of " + allowed);
            return v;
        }
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        Files.createDirectories(o.out.resolve("logs"));
        Files.createDirectories(o.out.resolve("runs"));
        new SideBySide(o).run();
    }

    private void run() {
        Map<String, Json> header = new LinkedHashMap<>();
        header.put("type", Json.of("run"));
        header.put("started", Json.of(LocalDateTime.now().toString()));
        header.put("args", new Json.Arr(o.args.stream().map(a -> (Json) Json.of(a)).toList()));
        header.put("commit", Json.of(shell("git -C " + quote(o.root.toString()) + " rev-parse --short HEAD 2>/dev/null || echo unknown").strip()));
        header.put("cpu", Json.of(shell("lscpu | sed -n 's/^Model name: *//p' | head -n 1").strip()));
        header.put("cores", Json.of(Runtime.getRuntime().availableProcessors()));
        header.put("java", Json.of(System.getProperty("java.vm.version")));
        header.put("torch", Json.of(shell(quote(o.python) + " -c 'import torch; print(torch.__version__)' 2>/dev/null").strip()));
        header.put("torch_env", new Json.Obj(o.torchEnv.entrySet().stream().collect(LinkedHashMap<String, Json>::new, (m, e) -> m.put(e.getKey(), Json.of(e.getValue())), Map::putAll)));
        append(new Json.Obj(header).write());
        System.out.printf(Locale.ROOT, "bench: %s reps, sections %s, %d epochs, torch settings %s (seed-style %s), torch env %s; output in %s%n",
                o.reps, o.sections, o.epochs, o.torchSettings, o.seedSettings, o.torchEnv, o.out);

        if (o.sections.contains("infer") && !o.sections.contains("train")) trainModelsForInference();
        for (int rep = 1; rep <= o.reps; rep++) {
            boolean torchFirst = rep % 2 == 0;
            if (o.sections.contains("gemm")) gemm(rep, torchFirst);
            if (o.sections.contains("train")) train(rep, torchFirst);
            if (o.sections.contains("infer")) infer(rep, torchFirst);
            if (o.sections.contains("cnn")) cnn(rep, torchFirst);
        }

        List<Comparison.Result> rows = new ArrayList<>();
        for (Comparison c : comparisons()) {
            Comparison.Result r = c.evaluate(samples);
            rows.add(r);
            append(r.toJson());
        }
        String table = Comparison.table(rows);
        System.out.println();
        System.out.print(table);
        System.out.println("(medians over repetitions ×count; PyTorch at its best thread setting; ratio = nn4j/PyTorch; "
                + "others = max cores other processes kept busy during these runs)");
        write(o.out.resolve("summary.txt"), table);
        System.out.println("results: " + results + ", table: " + o.out.resolve("summary.txt") + ", logs: " + o.out.resolve("logs"));
    }

    // ------------------------------------------------------------------ sections

    private void gemm(int rep, boolean torchFirst) {
        String shapes = String.join(",", o.gemmShapes);
        List<Runnable> trials = new ArrayList<>();
        for (String t : List.of("1", "2")) {
            trials.add(() -> {
                Child c = child(rep, "gemm-nn4j-t" + t, Map.of(), javaCmd(List.of("-cp", o.benchJar.toString(), "dev.nn4j.bench.GemmTimer",
                        "--threads", t, "--min-time", Double.toString(o.gemmMinTime), "--shapes", shapes)));
                for (Json.Obj j : c.json) samples(new Sample("gemm", Outputs.string(j, "shape", "?"), "gflops", "nn4j", t, rep, Outputs.number(j, "gflops_median"), c.others));
            });
        }
        List<Runnable> torch = new ArrayList<>();
        for (String s : o.torchSettings) {
            torch.add(() -> {
                Child c = child(rep, "gemm-torch-" + s, torchEnv(s), List.of(o.python, ref("gemm.py"), "--threads", threads(s),
                        "--min-time", Double.toString(o.gemmMinTime), "--shapes", shapes));
                for (Json.Obj j : c.json) samples(new Sample("gemm", Outputs.string(j, "shape", "?"), "gflops", "torch", s, rep, Outputs.number(j, "gflops_median"), c.others));
            });
        }
        interleave(trials, torch, torchFirst);
    }

    /**
     * Both sides run the seed recipe with the default preprocessing: pixels normalized with the training mean/std.
     * nn4j runs with the JVM options the {@code nn4j} launcher gives {@code train} ({@link TrainJvmOptions}).
     */
    private void train(int rep, boolean torchFirst) {
        List<Runnable> nn4j = List.of(() -> {
            Path dir = o.out.resolve("runs/nn4j-rep" + rep);
            Child c = child(rep, "train-nn4j-t2", Map.of(), javaCmd("-XX:+UseG1GC", Stream.concat(trainOptions.stream(), Stream.of("-jar", o.nn4jJar.toString(), "train", "--dataset", "fashion-mnist",
                    "--epochs", Integer.toString(o.epochs), "--threads", "2", "--seed", Integer.toString(rep), "--quiet", "--out", dir.toString())).toList()));
            Json.Obj report = readJson(dir.resolve("report.json"));
            List<Double> seconds = new ArrayList<>();
            if (report.get("epochs") instanceof Json.Arr a) for (Json e : a.items()) seconds.add(Outputs.number((Json.Obj) e, "seconds"));
            double[] s = seconds.stream().mapToDouble(Double::doubleValue).toArray();
            samples(new Sample("train", "mlp", "epoch_s", "nn4j", "2", rep, Outputs.steadyEpochSeconds(s), c.others),
                    new Sample("train", "mlp", "first_epoch_s", "nn4j", "2", rep, s[0], c.others),
                    new Sample("train", "mlp", "acc", "nn4j", "2", rep, Outputs.number(report, "test_accuracy"), c.others));
            if (nn4jModel == null) nn4jModel = dir.resolve("model.safetensors");
        });
        List<Runnable> torch = new ArrayList<>();
        for (String variant : List.of("fast", "seed")) {
            for (String s : variant.equals("fast") ? o.torchSettings : o.seedSettings) {
                torch.add(() -> {
                    List<String> cmd = new ArrayList<>(List.of(o.python, ref("seed_mlp.py"), "--data", "fashion", "--variant", variant,
                            "--epochs", Integer.toString(o.epochs), "--threads", threads(s), "--seed", Integer.toString(rep)));
                    Path save = o.out.resolve("runs/torch-" + variant + "-rep" + rep + "-t" + s + ".pt");
                    if (variant.equals("fast") && torchModel == null) cmd.addAll(List.of("--save", save.toString()));
                    Child c = child(rep, "train-torch-" + variant + "-" + s, torchEnv(s), cmd);
                    Json.Obj j = single(c);
                    double[] epochs = Outputs.numbers(j, "epoch_s");
                    samples(new Sample("train", variant, "epoch_s", "torch", s, rep, Outputs.steadyEpochSeconds(epochs), c.others),
                            new Sample("train", variant, "first_epoch_s", "torch", s, rep, epochs[0], c.others),
                            new Sample("train", variant, "acc", "torch", s, rep, Outputs.number(j, "final_test_acc"), c.others));
                    if (variant.equals("fast") && torchModel == null) torchModel = save;
                });
            }
        }
        interleave(nn4j, torch, torchFirst);
    }

    private void infer(int rep, boolean torchFirst) {
        List<Runnable> nn4j = List.of(() -> {
            // a fixed heap, touched at start-up, as a server runs: this VM pays several microseconds for the first touch
            // of each page, and batch-256 passes that allocated into heap the JVM had just grown ran at 50,000 instead of
            // 300,000 images/s (54 % of the time in the kernel's clear_page; BENCHMARKS.md, session 14)
            Child c = child(rep, "infer-nn4j-t2", Map.of(), javaCmd(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-cp", o.benchJar.toString(), "dev.nn4j.bench.InferTimer",
                    "--model", nn4jModel.toString(), "--threads", "2", "--calls", Integer.toString(o.calls), "--passes", Integer.toString(o.passes))));
            inferSamples(single(c), "nn4j", "2", rep, c.others);
        });
        List<Runnable> torch = new ArrayList<>();
        for (String s : o.torchSettings) {
            torch.add(() -> {
                Child c = child(rep, "infer-torch-" + s, torchEnv(s), List.of(o.python, ref("infer.py"), "--model", torchModel.toString(),
                        "--threads", threads(s), "--calls", Integer.toString(o.calls), "--passes", Integer.toString(o.passes)));
                inferSamples(single(c), "torch", s, rep, c.others);
            });
        }
        interleave(nn4j, torch, torchFirst);
    }

    /**
     * The {@code cnn} preset network: {@code CnnTimer} against {@code cnn.py}, each training {@code --cnn-epochs} epochs
     * (seed = repetition), then timing inference on the model it trained, in the same process.
     */
    private void cnn(int rep, boolean torchFirst) {
        String epochs = Integer.toString(o.cnnEpochs), calls = Integer.toString(Math.min(o.calls, 1000)), passes = Integer.toString(Math.min(o.passes, 3));
        List<Runnable> nn4j = List.of(() -> {
            Child c = child(rep, "cnn-nn4j-t2", Map.of(), javaCmd(List.of("-cp", o.benchJar.toString(), "dev.nn4j.bench.CnnTimer",
                    "--threads", "2", "--epochs", epochs, "--seed", Integer.toString(rep), "--calls", calls, "--passes", passes)));
            cnnSamples(single(c), "nn4j", "2", rep, c.others);
        });
        List<Runnable> torch = new ArrayList<>();
        for (String s : o.torchSettings) {
            torch.add(() -> {
                Child c = child(rep, "cnn-torch-" + s, torchEnv(s), List.of(o.python, ref("cnn.py"), "--epochs", epochs,
                        "--threads", threads(s), "--seed", Integer.toString(rep), "--calls", calls, "--passes", passes));
                cnnSamples(single(c), "torch", s, rep, c.others);
            });
        }
        interleave(nn4j, torch, torchFirst);
    }

    private void cnnSamples(Json.Obj j, String side, String setting, int rep, double others) {
        double[] epochs = Outputs.numbers(j, "epoch_s");
        samples(new Sample("cnn", "cnn", "epoch_s", side, setting, rep, Outputs.steadyEpochSeconds(epochs), others),
                new Sample("cnn", "cnn", "first_epoch_s", side, setting, rep, epochs[0], others),
                new Sample("cnn", "cnn", "acc", side, setting, rep, Outputs.number(j, "final_test_acc"), others),
                new Sample("cnn", "cnn", "b1_median_us", side, setting, rep, Outputs.number(j, "b1_median_us"), others),
                new Sample("cnn", "cnn", "b1_p99_us", side, setting, rep, Outputs.number(j, "b1_p99_us"), others),
                new Sample("cnn", "cnn", "b256_img_per_s", side, setting, rep, Outputs.number(j, "b256_img_per_s_median"), others));
    }

    private void inferSamples(Json.Obj j, String side, String setting, int rep, double others) {
        // nn4j's InferTimer also times the model as loaded, without Inference.prepare (key "mlp-unprepared")
        if (side.equals("nn4j")) samples(new Sample("infer", "mlp-unprepared", "b1_median_us", side, setting, rep, Outputs.number(j, "b1_plain_median_us"), others));
        samples(new Sample("infer", "mlp", "b1_median_us", side, setting, rep, Outputs.number(j, "b1_median_us"), others),
                new Sample("infer", "mlp", "b1_p99_us", side, setting, rep, Outputs.number(j, "b1_p99_us"), others),
                new Sample("infer", "mlp", "b256_img_per_s", side, setting, rep, Outputs.number(j, "b256_img_per_s_median"), others),
                new Sample("infer", "mlp", "acc", side, setting, rep, Outputs.number(j, "acc"), others));
    }

    /** Without the train section, one short training on each side provides the models that inference times. */
    private void trainModelsForInference() {
        Path dir = o.out.resolve("runs/nn4j-for-infer");
        child(0, "train-nn4j-for-infer", Map.of(), javaCmd("-XX:+UseG1GC", List.of("-jar", o.nn4jJar.toString(), "train", "--dataset", "fashion-mnist",
                "--preprocess", "none", "--epochs", "1", "--quiet", "--out", dir.toString()))); // infer.py feeds raw pixels too
        nn4jModel = dir.resolve("model.safetensors");
        torchModel = o.out.resolve("runs/torch-for-infer.pt");
        child(0, "train-torch-for-infer", torchEnv("1"), List.of(o.python, ref("seed_mlp.py"), "--data", "fashion", "--variant", "fast",
                "--epochs", "1", "--save", torchModel.toString()));
    }

    /** The table's rows for the sections that ran, with the targets (2 threads unless stated). */
    List<Comparison> comparisons() {
        List<Comparison> rows = new ArrayList<>();
        List<String> all = o.torchSettings;
        if (o.sections.contains("gemm")) {
            for (String t : List.of("1", "2")) {
                for (String shape : o.gemmShapes) {
                    String label = GemmShape.parse(shape).label();
                    double target = t.equals("1") ? Double.NaN : label.equals("1024^3") ? 0.8 : 1.0;
                    List<String> torch = t.equals("1") ? List.of("1") : all;
                    rows.add(new Comparison("sgemm " + label + " GFLOP/s, " + t + " thr", "gemm", "gflops", Comparison.Kind.HIGHER,
                            target, label, t, label, torch));
                }
            }
        }
        if (o.sections.contains("train")) {
            rows.add(new Comparison("train s/epoch (after 1st) vs PyTorch fast", "train", "epoch_s", Comparison.Kind.LOWER, 0.5, "mlp", "2", "fast", all));
            rows.add(new Comparison("train s/epoch (after 1st) vs PyTorch seed", "train", "epoch_s", Comparison.Kind.LOWER, 0.1, "mlp", "2", "seed", o.seedSettings));
            rows.add(new Comparison("train 1st epoch s vs PyTorch fast", "train", "first_epoch_s", Comparison.Kind.LOWER, Double.NaN, "mlp", "2", "fast", all));
            rows.add(new Comparison("test accuracy vs PyTorch fast", "train", "acc", Comparison.Kind.SAME, 0.005, "mlp", "2", "fast", all));
            rows.add(new Comparison("test accuracy vs PyTorch seed", "train", "acc", Comparison.Kind.SAME, 0.005, "mlp", "2", "seed", o.seedSettings));
        }
        if (o.sections.contains("infer")) {
            rows.add(new Comparison("infer batch-1 median µs", "infer", "b1_median_us", Comparison.Kind.LOWER, 0.5, "mlp", "2", "mlp", all));
            rows.add(new Comparison("infer batch-1 median µs, unprepared", "infer", "b1_median_us", Comparison.Kind.LOWER, Double.NaN, "mlp-unprepared", "2", "mlp", all));
            rows.add(new Comparison("infer batch-1 p99 µs", "infer", "b1_p99_us", Comparison.Kind.LOWER, Double.NaN, "mlp", "2", "mlp", all));
            rows.add(new Comparison("infer batch-256 images/s", "infer", "b256_img_per_s", Comparison.Kind.HIGHER, 1.5, "mlp", "2", "mlp", all));
        }
        if (o.sections.contains("cnn")) {
            rows.add(new Comparison("cnn train s/epoch (after 1st)", "cnn", "epoch_s", Comparison.Kind.LOWER, 0.7, "cnn", "2", "cnn", all));
            rows.add(new Comparison("cnn train 1st epoch s", "cnn", "first_epoch_s", Comparison.Kind.LOWER, Double.NaN, "cnn", "2", "cnn", all));
            rows.add(new Comparison("cnn test accuracy", "cnn", "acc", Comparison.Kind.SAME, 0.005, "cnn", "2", "cnn", all));
            rows.add(new Comparison("cnn infer batch-1 median µs", "cnn", "b1_median_us", Comparison.Kind.LOWER, Double.NaN, "cnn", "2", "cnn", all));
            rows.add(new Comparison("cnn infer batch-1 p99 µs", "cnn", "b1_p99_us", Comparison.Kind.LOWER, Double.NaN, "cnn", "2", "cnn", all));
            rows.add(new Comparison("cnn infer batch-256 images/s", "cnn", "b256_img_per_s", Comparison.Kind.HIGHER, Double.NaN, "cnn", "2", "cnn", all));
        }
        return rows;
    }

    // ------------------------------------------------------------------ children

    /** A finished child process: its output, parsed result lines and the contention probe. */
    private record Child(String output, List<Json.Obj> json, double wall, double others) {}

    private Child child(int rep, String name, Map<String, String> env, List<String> cmd) {
        Path log = o.out.resolve("logs/rep" + rep + "-" + name + ".log");
        List<String> full = new ArrayList<>(List.of("bash", "-c", "\"$@\"; rc=$?; times >&2; exit $rc", "bench"));
        full.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().remove("OMP_WAIT_POLICY");
        pb.environment().putAll(env);
        System.out.printf(Locale.ROOT, "[rep %d/%d] %-28s ", rep, o.reps, name);
        System.out.flush();
        double[] before = procStat();
        double myCpu0 = myCpuSeconds();
        long t0 = System.nanoTime();
        String output;
        int rc;
        try {
            Process p = pb.start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            rc = p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bench: interrupted while running " + name, e);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double[] after = procStat();
        double childCpu = Outputs.childCpuSeconds(output);
        double others = before == null || after == null || Double.isNaN(childCpu) ? Double.NaN
                : Math.max(0, (after[0] - before[0] - childCpu - (myCpuSeconds() - myCpu0)) / wall);
        write(log, "$ " + String.join(" ", cmd) + (env.isEmpty() ? "" : "   [env " + env + "]") + "\n" + output);
        System.out.printf(Locale.ROOT, "%6.1f s, others_cores %.2f, child cpu %.1f s%n", wall, others, childCpu);
        if (rc != 0) throw new IllegalStateException("bench: " + name + " exited with status " + rc + "; its output is in " + log);
        return new Child(output, Outputs.jsonLines(output), wall, others);
    }

    private static Json.Obj single(Child c) {
        if (c.json.size() != 1) throw new IllegalStateException("bench: expected one JSON result line but found " + c.json.size() + " in:\n" + c.output);
        return c.json.getFirst();
    }

    /** A JVM with ParallelGC, as {@code nn4j serve} runs (the GEMM, inference and cnn timers). */
    private List<String> javaCmd(List<String> rest) {
        return javaCmd("-XX:+UseParallelGC", rest);
    }

    /** A JVM with the given collector ({@code nn4j train} runs on G1; see the {@code nn4j} launcher), then NN4J_JAVA_OPTS. */
    private List<String> javaCmd(String gc, List<String> rest) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", gc));
        String extra = System.getenv("NN4J_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        cmd.addAll(rest);
        return cmd;
    }

    private String ref(String script) {
        return o.root.resolve("bench/reference").resolve(script).toString();
    }

    /** {@code 2-passive} is two threads with {@code OMP_WAIT_POLICY=passive}. */
    static String threads(String setting) {
        return setting.startsWith("2") ? "2" : setting;
    }

    static Map<String, String> env(String setting) {
        return setting.endsWith("-passive") ? Map.of("OMP_WAIT_POLICY", "passive") : Map.of();
    }

    /** The environment of a PyTorch child: {@code --torch-env} (e.g. the BLAS to load) plus the setting's own. */
    private Map<String, String> torchEnv(String setting) {
        Map<String, String> e = new LinkedHashMap<>(o.torchEnv);
        e.putAll(env(setting));
        return e;
    }

    /** nn4j's trials and PyTorch's alternate; {@code torchFirst} flips who starts (every other repetition). */
    static void interleave(List<Runnable> nn4j, List<Runnable> torch, boolean torchFirst) {
        List<Runnable> first = torchFirst ? torch : nn4j, second = torchFirst ? nn4j : torch;
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            if (i < first.size()) first.get(i).run();
            if (i < second.size()) second.get(i).run();
        }
    }

    private void samples(Sample... s) {
        Collections.addAll(samples, s);
        for (Sample x : s) append(x.toJson());
    }

    private void append(String line) {
        try {
            Files.writeString(results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot write " + results + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Json.Obj readJson(Path file) {
        try {
            return (Json.Obj) Json.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static final Map<String, Double> HZ = new HashMap<>();

    /** {busy, steal} seconds of the whole machine so far, or null where there is no {@code /proc/stat}. */
    private static double[] procStat() {
        try {
            double hz = HZ.computeIfAbsent("hz", _ -> {
                String v = shell("getconf CLK_TCK 2>/dev/null").strip();
                return v.isEmpty() ? 100.0 : Double.parseDouble(v);
            });
            return Outputs.procStatBusySteal(Files.readAllLines(Path.of("/proc/stat")).getFirst(), hz);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double myCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private static String shell(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
