package dev.nn4j.data.sets;

import dev.nn4j.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageFolderTest {
    @TempDir
    Path root;

    /** A 4×4 grey PNG whose every pixel is {@code value}. */
    private Path grey(String relative, int value) throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) img.getRaster().setSample(x, y, 0, value);
        return ImagesTest.write(img, root.resolve(relative));
    }

    @Test
    void sortedSubfoldersAreTheClassesAndSortedFilesTheExamples() throws IOException {
        grey("dog/b.png", 30);
        grey("dog/a.PNG", 20);
        grey("cat/z.png", 10);
        grey("cat/nested/y.png", 40);
        ImagesTest.write(ImagesTest.colours(), root.resolve("bird/1.jpg"));
        Files.writeString(root.resolve("dog/readme.txt"), "ignored");
        grey("dog/.hidden.png", 99);
        grey("loose.png", 99); // directly in root: ignored
        TensorDataset d = ImageFolder.load(root, 2, 2, ColorMode.GREY);
        assertEquals(List.of("bird", "cat", "dog"), d.classes());
        assertArrayEquals(new int[] {5, 1, 2, 2}, d.inputs().shape());
        assertArrayEquals(new float[] {0, 1, 1, 2, 2}, d.targets().toFloatArray());
        // cat: nested/y.png sorts before z.png; dog: a.PNG before b.png; 4×4 flat images shrink to the same value
        float[] firstPixels = new float[5];
        for (int i = 0; i < 5; i++) firstPixels[i] = d.inputs().get(i, 0, 0, 0);
        assertEquals(40 / 255f, firstPixels[1]);
        assertEquals(10 / 255f, firstPixels[2]);
        assertEquals(20 / 255f, firstPixels[3]);
        assertEquals(30 / 255f, firstPixels[4]);
    }

    @Test
    void rgbGivesThreeChannels() throws IOException {
        ImagesTest.write(ImagesTest.colours(), root.resolve("only/c.png"));
        TensorDataset d = ImageFolder.load(root, 2, 3, ColorMode.RGB);
        assertArrayEquals(new int[] {1, 3, 2, 3}, d.inputs().shape());
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 200 / 255f}, d.inputs().select(0, 0).select(0, 0).toFloatArray());
    }

    @Test
    void anUnreadableImageNamesTheFile() throws IOException {
        grey("a/ok.png", 1);
        Path bad = Files.writeString(Files.createDirectories(root.resolve("b")).resolve("broken.jpg"), "garbage");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(root, 2, 2, ColorMode.GREY));
        assertEquals("cannot read image " + bad + ": not a PNG, JPEG or other format javax.imageio knows", e.getMessage());
    }

    @Test
    void emptyClassFoldersAndRootsWithoutFoldersAreErrors() throws IOException {
        assertEquals("ImageFolder: " + root + " has no class subfolders; expected one folder of images per class, e.g. " + root.resolve("cat/1.png"),
                assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(root, 2, 2, ColorMode.GREY)).getMessage());
        grey("a/ok.png", 1);
        Files.writeString(Files.createDirectories(root.resolve("b")).resolve("notes.txt"), "no images");
        assertEquals("ImageFolder: class folder " + root.resolve("b") + " has no .png, .jpg or .jpeg files",
                assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(root, 2, 2, ColorMode.GREY)).getMessage());
        Path file = root.resolve("a/ok.png");
        assertEquals("ImageFolder: " + file + " is not a directory",
                assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(file, 2, 2, ColorMode.GREY)).getMessage());
    }
}
