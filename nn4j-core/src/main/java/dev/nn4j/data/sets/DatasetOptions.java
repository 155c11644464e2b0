package dev.nn4j.data.sets;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where {@link BuiltinDatasets} looks for files, whether it may download, and how it lays out images. The
 * environment, home and system directories are fields rather than read from the process so that tests (and
 * embedders) can inject them; {@link #defaults()} reads the real ones.
 *
 * @param dataDir   the {@code --data-dir} directory, searched first (as {@code dataDir/<name>/}, then {@code dataDir/}); null for none
 * @param env       environment variables; only {@code NN4J_DATA} is read (searched second, the same two ways)
 * @param userHome  the home directory; {@code userHome/.cache/nn4j/<name>/} is searched third and receives downloads
 * @param systemDir the system dataset root, {@code /usr/share/datasets} (Debian's {@code dataset-*} packages); searched last as {@code systemDir/<name>/}
 * @param layout    {@code [N, 784]} ({@link ImageLayout#FLAT}, the default) or {@code [N, 1, 28, 28]} ({@link ImageLayout#CHW})
 * @param download  whether missing files may be downloaded (true by default)
 * @param mirror    a base URL replacing the dataset's canonical mirrors (the same checksums still apply); null for the canonical ones
 * @param listener  download progress
 */
public record DatasetOptions(Path dataDir, Map<String, String> env, Path userHome, Path systemDir, ImageLayout layout,
                             boolean download, URI mirror, DownloadListener listener) {
    /** The environment variable naming a directory that holds {@code <name>/} folders or the files themselves. */
    public static final String ENV = "NN4J_DATA";
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets");

    public DatasetOptions {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(userHome, "userHome");
        Objects.requireNonNull(systemDir, "systemDir");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(listener, "listener");
    }

    /** The process environment, {@code user.home}, {@code /usr/share/datasets}, flat images, downloads allowed from the canonical mirrors, no progress. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(null, System.getenv(), Path.of(System.getProperty("user.home")), SYSTEM_DIR,
                ImageLayout.FLAT, true, null, DownloadListener.NONE);
    }

    /** The download cache of a dataset: {@code userHome/.cache/nn4j/<name>}. */
    public Path cacheDir(String name) {
        return userHome.resolve(".cache").resolve("nn4j").resolve(name);
    }

    public DatasetOptions withDataDir(Path dir) {
        return new DatasetOptions(dir, env, userHome, systemDir, layout, download, mirror, listener);
    }

    public DatasetOptions withEnv(Map<String, String> environment) {
        return new DatasetOptions(dataDir, environment, userHome, systemDir, layout, download, mirror, listener);
    }

    public DatasetOptions withUserHome(Path home) {
        return new DatasetOptions(dataDir, env, home, systemDir, layout, download, mirror, listener);
    }

    public DatasetOptions withSystemDir(Path dir) {
        return new DatasetOptions(dataDir, env, userHome, dir, layout, download, mirror, listener);
    }

    public DatasetOptions withLayout(ImageLayout imageLayout) {
        return new DatasetOptions(dataDir, env, userHome, systemDir, imageLayout, download, mirror, listener);
    }

    public DatasetOptions withDownload(boolean allowed) {
        return new DatasetOptions(dataDir, env, userHome, systemDir, layout, allowed, mirror, listener);
    }

    public DatasetOptions withMirror(URI baseUrl) {
        return new DatasetOptions(dataDir, env, userHome, systemDir, layout, download, baseUrl, listener);
    }

    public DatasetOptions withListener(DownloadListener progress) {
        return new DatasetOptions(dataDir, env, userHome, systemDir, layout, download, mirror, progress);
    }
}
