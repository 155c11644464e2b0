package dev.nn4j.data.sets;

import dev.nn4j.data.TensorDataset;
import dev.nn4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A classification dataset from a directory with one subfolder per class, as torchvision's {@code ImageFolder}:
 * {@code root/cat/1.png}, {@code root/dog/a.jpg}, … The subfolder names, sorted ({@link String#compareTo}), are the
 * classes and their positions the class ids. Every {@code .png}, {@code .jpg} and {@code .jpeg} file (any case) under a
 * class folder, nested folders included, is one example, taken in sorted path order; other files, hidden entries
 * and files directly in {@code root} are ignored. Images are read with {@link Images#read}: converted to grey or RGB,
 * resized (area when shrinking, bilinear when enlarging) and scaled to [0, 1].
 *
 * <p><b>Shapes:</b> inputs {@code [N, C, height, width]} (C = 1 for {@link ColorMode#GREY}, 3 for RGB), targets {@code [N]}.
 */
public final class ImageFolder {
    private ImageFolder() {}

    public static TensorDataset load(Path root, int height, int width, ColorMode mode) {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("ImageFolder: " + root + " is not a directory");
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder: cannot list " + root + ": " + e.getMessage(), e);
        }
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("ImageFolder: " + root + " has no class subfolders; expected one folder of images per class, e.g. "
                    + root.resolve("cat").resolve("1.png"));
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = images(dir);
            if (images.isEmpty()) throw new IllegalArgumentException("ImageFolder: class folder " + dir + " has no .png, .jpg or .jpeg files");
            for (Path f : images) {
                files.add(f);
                labels.add(classes.size());
            }
            classes.add(dir.getFileName().toString());
        }
        int n = files.size(), per = mode.channels() * height * width;
        float[] x = new float[n * per], y = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(Images.read(files.get(i), height, width, mode).array(), 0, x, i * per, per);
            y[i] = labels.get(i);
        }
        return new TensorDataset(Tensor.fromArray(x, n, mode.channels(), height, width), Tensor.fromArray(y, n), classes);
    }

    private static List<Path> images(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !hidden(p) && isImage(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder: cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }
}
