package dev.nn4j.cli;

import dev.nn4j.data.sets.BuiltinDatasets;
import dev.nn4j.data.sets.DatasetOptions;
import dev.nn4j.data.sets.DownloadListener;
import dev.nn4j.data.sets.TrainTest;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** The {@code --dataset} and {@code --data-dir} options shared by {@code train} and {@code eval}. */
final class DataOptions {
    @Option(names = "--dataset", defaultValue = "mnist-sample",
            description = "mnist-sample (embedded), mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where to look for dataset files first (then $NN4J_DATA, ~/.cache/nn4j/<name>, /usr/share/datasets/<name>).")
    Path dataDir;

    /** Loads the dataset, downloading it into the cache if it is nowhere on disk (with progress unless quiet). */
    TrainTest load(boolean quiet) {
        DatasetOptions options = DatasetOptions.defaults().withDataDir(dataDir);
        if (!quiet) options = options.withListener(downloadProgress());
        return BuiltinDatasets.load(dataset, options);
    }

    private static DownloadListener downloadProgress() {
        return new DownloadListener() {
            private long lastPrinted = -1;

            @Override
            public void progress(String file, long bytesSoFar, long totalBytes) {
                long mib = bytesSoFar >> 20;
                boolean done = totalBytes > 0 && bytesSoFar == totalBytes;
                if (mib == lastPrinted && !done) return;
                lastPrinted = mib;
                String total = totalBytes > 0 ? String.format(Locale.ROOT, " of %.1f MiB", totalBytes / 1048576.0) : "";
                System.err.printf(Locale.ROOT, "\rdownloading %s: %.1f MiB%s%s", file, bytesSoFar / 1048576.0, total, done ? "\n" : "");
            }
        };
    }
}
