package dev.nn4j.data.sets;

import dev.nn4j.data.Idx;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.tensor.Tensor;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A dataset published as MNIST's four IDX files ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}): where to find them, where to download them
 * from, their SHA-256 sums, and the class names. {@link #MNIST} and {@link #FASHION_MNIST} are the two built in.
 *
 * <p><b>Lookup.</b> The first directory holding all four files (each gzip-compressed with {@code .gz} or plain
 * without, plain preferred) wins, searched in this order: {@code --data-dir/<name>/}, {@code --data-dir/},
 * {@code $NN4J_DATA/<name>/}, {@code $NN4J_DATA/}, {@code ~/.cache/nn4j/<name>/}, {@code /usr/share/datasets/<name>/}.
 * Files found this way are not checksummed (Debian's {@code dataset-fashion-mnist}, for one, re-compressed them
 * without the file name in the gzip header, so the {@code .gz} bytes differ from upstream while the content is
 * identical); the IDX reader checks their structure, and the image and label counts must agree.
 *
 * <p><b>Download.</b> When no directory has them, the missing files are downloaded into {@code ~/.cache/nn4j/<name>/},
 * each verified against its SHA-256, trying the mirrors in order. When no mirror can be reached, the error names
 * the four files and the directories searched.
 *
 * @param name    the dataset name, also the folder name in every searched directory
 * @param classes class names, indexed by label
 * @param mirrors base URLs ending in {@code /}, tried in order
 * @param sha256  the SHA-256 of each {@code .gz} file, keyed by file name
 */
public record MnistFamily(String name, List<String> classes, List<URI> mirrors, Map<String, String> sha256) {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte",
            TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four file names, without {@code .gz}. */
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /**
     * MNIST (LeCun, Cortes and Burges). Mirrors: torchvision's ({@code ossci-datasets}) and TensorFlow's
     * ({@code cvdf-datasets}). SHA-256 sums as recorded by TensorFlow Datasets ({@code url_checksums/mnist.txt}).
     */
    public static final MnistFamily MNIST = new MnistFamily("mnist",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            Map.of(TRAIN_IMAGES + ".gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                    TRAIN_LABELS + ".gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                    TEST_IMAGES + ".gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                    TEST_LABELS + ".gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));

    /**
     * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; Zalando, MIT licence). Mirrors: Zalando's S3 site (the one
     * torchvision uses) and the GitHub repository's data folder. SHA-256 sums as recorded by TensorFlow Datasets
     * ({@code url_checksums/fashion_mnist.txt}).
     */
    public static final MnistFamily FASHION_MNIST = new MnistFamily("fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
            Map.of(TRAIN_IMAGES + ".gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                    TRAIN_LABELS + ".gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                    TEST_IMAGES + ".gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                    TEST_LABELS + ".gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"));

    public MnistFamily {
        classes = List.copyOf(classes);
        mirrors = List.copyOf(mirrors);
        sha256 = Map.copyOf(sha256);
        for (String f : FILES) {
            if (!sha256.containsKey(f + ".gz")) throw new IllegalArgumentException(name + ": no SHA-256 given for " + f + ".gz");
        }
    }

    /** The directories searched, in order (see the class comment); directories that do not exist are included. */
    public List<Path> searchDirs(DatasetOptions options) {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        if (options.dataDir() != null) {
            dirs.add(options.dataDir().resolve(name));
            dirs.add(options.dataDir());
        }
        String env = options.env().get(DatasetOptions.ENV);
        if (env != null && !env.isBlank()) {
            dirs.add(Path.of(env).resolve(name));
            dirs.add(Path.of(env));
        }
        dirs.add(options.cacheDir(name));
        dirs.add(options.systemDir().resolve(name));
        return List.copyOf(dirs);
    }

    /** The first searched directory holding all four files, if any. */
    public Optional<Path> find(DatasetOptions options) {
        return searchDirs(options).stream().filter(this::complete).findFirst();
    }

    /**
     * Finds the files (downloading them when absent and allowed) and reads both parts: images scaled to [0, 1]
     * in {@code options.layout()}, labels {@code [N]} as floats.
     */
    public TrainTest load(DatasetOptions options) {
        Path dir = find(options).orElseGet(() -> download(options));
        return new TrainTest(read(dir, TRAIN_IMAGES, TRAIN_LABELS, options.layout()), read(dir, TEST_IMAGES, TEST_LABELS, options.layout()));
    }

    /** Downloads the files missing from the cache directory; returns it. */
    private Path download(DatasetOptions options) {
        if (!options.download()) {
            throw new IllegalStateException(name + " was not found and downloading is turned off. " + whereToPut(options));
        }
        Path cache = options.cacheDir(name);
        List<URI> bases = options.mirror() != null ? List.of(options.mirror()) : mirrors;
        for (String f : FILES) {
            if (file(cache, f) != null) continue;
            String gz = f + ".gz";
            List<DownloadException> failures = new ArrayList<>();
            for (URI base : bases) {
                try {
                    Downloader.download(base.resolve(gz), sha256.get(gz), cache.resolve(gz), options.listener());
                    failures.clear();
                    break;
                } catch (DownloadException e) {
                    failures.add(e);
                }
            }
            if (!failures.isEmpty()) {
                String reasons = failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
                boolean offline = failures.stream().allMatch(DownloadException::unreachable);
                throw new IllegalStateException(name + " was not found and " + (offline ? "the download mirrors cannot be reached (offline?)" : "downloading it failed")
                        + ": " + reasons + ". " + whereToPut(options), failures.getFirst());
            }
        }
        return cache;
    }

    /** "Put these four files into one of these directories." */
    private String whereToPut(DatasetOptions options) {
        return "Put the four files " + FILES.stream().map(f -> f + ".gz").collect(Collectors.joining(", "))
                + " (gzip-compressed, or the same names without .gz uncompressed) into one of these directories, searched in this order: "
                + searchDirs(options).stream().map(Path::toString).collect(Collectors.joining(", "))
                + "; or point --data-dir or $" + DatasetOptions.ENV + " at the directory holding them"
                + (name.equals("fashion-mnist") ? "; on Debian and Ubuntu: apt-get install dataset-fashion-mnist" : "");
    }

    private boolean complete(Path dir) {
        return FILES.stream().allMatch(f -> file(dir, f) != null);
    }

    /** {@code dir/base} or {@code dir/base.gz}, whichever is a regular file (plain first), else null. */
    private static Path file(Path dir, String base) {
        for (Path p : List.of(dir.resolve(base), dir.resolve(base + ".gz"))) {
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private TensorDataset read(Path dir, String imagesName, String labelsName, ImageLayout layout) {
        Path imagesFile = file(dir, imagesName), labelsFile = file(dir, labelsName);
        Idx.Array images = Idx.read(imagesFile), labels = Idx.read(labelsFile);
        if (images.dims().length != 3) {
            throw new IllegalArgumentException(name + ": " + imagesFile + " should hold images [N, height, width] but has dims "
                    + java.util.Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IllegalArgumentException(name + ": " + labelsFile + " should hold labels [N] but has dims " + java.util.Arrays.toString(labels.dims()));
        }
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException(name + ": " + imagesFile + " holds " + images.count() + " images but "
                    + labelsFile + " holds " + labels.count() + " labels; they must agree");
        }
        byte[] y = labels.values();
        for (int i = 0; i < y.length; i++) {
            if ((y[i] & 0xff) >= classes.size()) {
                throw new IllegalArgumentException(name + ": " + labelsFile + " has label " + (y[i] & 0xff) + " at index " + i
                        + " but there are only " + classes.size() + " classes");
            }
        }
        int n = images.count(), h = images.dims()[1], w = images.dims()[2];
        Tensor x = Tensor.fromArray(images.toFloats(255), layout.shape(n, h, w));
        return new TensorDataset(x, Tensor.fromArray(labels.toFloats(1), n), classes);
    }
}
