package dev.nn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {
    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    @TempDir
    Path dir;

    private static List<EpochRow> falling(int epochs, boolean validation) {
        List<EpochRow> rows = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            rows.add(validation ? new EpochRow(e, 0.9 / e + 0.05, 1 - 0.3 / e, 0.95 / e + 0.1, 1 - 0.35 / e)
                    : new EpochRow(e, 0.9 / e + 0.05, 1 - 0.3 / e));
        }
        return rows;
    }

    private static BufferedImage readPng(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        // PNG signature: 89 'P' 'N' 'G' CR LF SUB LF
        assertEquals(0x89, bytes[0] & 0xFF);
        assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "ImageIO cannot decode " + png);
        return image;
    }

    /** Pixels in columns [x0, x1) within a distance of 40 (RGB, Euclidean) of {@code c}. */
    private static int near(BufferedImage image, Color c, int x0, int x1) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                Color p = new Color(image.getRGB(x, y));
                int dr = p.getRed() - c.getRed(), dg = p.getGreen() - c.getGreen(), db = p.getBlue() - c.getBlue();
                if (dr * dr + dg * dg + db * db < 40 * 40) n++;
            }
        }
        return n;
    }

    @Test
    void trainingCurvesArePngPanelsOfLossAndAccuracyWithTrainAndValidationLines() throws IOException {
        Path png = dir.resolve("out/curves.png");   // parent is created
        Plots.trainingCurves(png, falling(10, true));
        BufferedImage image = readPng(png);
        assertEquals(2 * Plots.PANEL_WIDTH, image.getWidth());
        assertEquals(Plots.PANEL_HEIGHT, image.getHeight());
        int w = Plots.PANEL_WIDTH;
        // each panel holds both lines (10 markers of radius ~4 plus the lines: hundreds of pixels per colour)
        assertTrue(near(image, Plots.TRAIN, 0, w) > 300, "train line in the loss panel");
        assertTrue(near(image, Plots.VALIDATION, 0, w) > 300, "validation line in the loss panel");
        assertTrue(near(image, Plots.TRAIN, w, 2 * w) > 300, "train line in the accuracy panel");
        assertTrue(near(image, Plots.VALIDATION, w, 2 * w) > 300, "validation line in the accuracy panel");
        assertTrue(near(image, Color.BLACK, 0, 2 * w) > 500, "titles, axis names and tick labels");
        assertTrue(GraphicsEnvironment.isHeadless());
    }

    @Test
    void trainingCurvesWithoutValidationDrawOnlyTheTrainLine() throws IOException {
        Path png = dir.resolve("curves.png");
        Plots.trainingCurves(png, falling(10, false));
        BufferedImage image = readPng(png);
        assertTrue(near(image, Plots.TRAIN, 0, image.getWidth()) > 600);
        assertEquals(0, near(image, Plots.VALIDATION, 0, image.getWidth()));
    }

    @Test
    void trainingCurvesCopeWithOneEpochManyEpochsAndADivergedEpoch() throws IOException {
        Plots.trainingCurves(dir.resolve("one.png"), List.of(new EpochRow(1, 0.5, 0.8, 0.6, 0.75)));
        assertTrue(near(readPng(dir.resolve("one.png")), Plots.VALIDATION, 0, 2 * Plots.PANEL_WIDTH) > 50);

        List<EpochRow> rows = new ArrayList<>(falling(200, false));
        rows.set(150, new EpochRow(151, Double.POSITIVE_INFINITY, Double.NaN));
        Plots.trainingCurves(dir.resolve("long.png"), rows);
        BufferedImage image = readPng(dir.resolve("long.png"));
        assertTrue(near(image, Plots.TRAIN, 0, image.getWidth()) > 600);
    }

    @Test
    void trainingCurvesNeedAtLeastOneEpoch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.trainingCurves(dir.resolve("c.png"), List.of()));
        assertTrue(e.getMessage().contains("no epochs"), e.getMessage());
    }

    @Test
    void confusionMatrixShadesCellsByCount() throws IOException {
        int k = FASHION.size();
        Path png = dir.resolve("confusion.png");
        Plots.confusionMatrix(png, diagonal(k, 100), FASHION);
        BufferedImage image = readPng(png);
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 400, image.getWidth() + "x" + image.getHeight());
        // cells are 28 to 80 px square: the k full-count cells are darkest blue (less their white digits), the
        // empty ones lightest blue
        int dark = exactly(image, new Color(8, 48, 107)), light = exactly(image, new Color(247, 251, 255));
        assertTrue(dark > k * 20 * 20 && dark < k * 80 * 80, "dark diagonal cells: " + dark);
        assertTrue(light > (k * k - k) * 20 * 20 && light < (k * k - k) * 80 * 80, "light off-diagonal cells: " + light);
        assertTrue(near(image, Color.BLACK, 0, image.getWidth()) > 1000, "class names, titles and zero counts");
    }

    @Test
    void confusionMatrixWritesTheCountInItsCell() throws IOException {
        // one class: a single cell, darkest blue (it holds the largest count), its count written on it
        Plots.confusionMatrix(dir.resolve("one.png"), new int[][]{{1}}, List.of("digit"));
        Plots.confusionMatrix(dir.resolve("hundred.png"), new int[][]{{100}}, List.of("digit"));
        int one = inkOnDark(readPng(dir.resolve("one.png"))), hundred = inkOnDark(readPng(dir.resolve("hundred.png")));
        assertTrue(one > 50, "'1' written on the cell: " + one + " pixels");
        assertTrue(hundred > 2 * one, "'100' takes more ink than '1': " + hundred + " vs " + one + " pixels");
    }

    /** Pixels of another colour between the first and last darkest-blue pixel of each row: what is written on it. */
    private static int inkOnDark(BufferedImage image) {
        int dark = new Color(8, 48, 107).getRGB(), n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            int first = -1, last = -1;
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) == dark) {
                    if (first < 0) first = x;
                    last = x;
                }
            }
            for (int x = first + 1; x < last; x++) if (image.getRGB(x, y) != dark) n++;
        }
        return n;
    }

    private static int[][] diagonal(int k, int count) {
        int[][] m = new int[k][k];
        for (int i = 0; i < k; i++) m[i][i] = count;
        return m;
    }

    private static int exactly(BufferedImage image, Color c) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) n++;
        }
        return n;
    }

    @Test
    void confusionMatrixChecksItsShapeAgainstTheClassNames() {
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> Plots.confusionMatrix(dir.resolve("c.png"), new int[3][3], List.of("a", "b")));
        assertEquals("Plots.confusionMatrix: matrix has 3 rows but there are 2 class names", rows.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> Plots.confusionMatrix(dir.resolve("c.png"), new int[][]{{1, 2}, {3}}, List.of("a", "b")));
        assertEquals("Plots.confusionMatrix: row 1 has 1 columns but there are 2 class names", ragged.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Plots.confusionMatrix(dir.resolve("c.png"), new int[][]{{1, -2}, {3, 4}}, List.of("a", "b")));
        assertEquals("Plots.confusionMatrix: count [0][1] is negative: -2", negative.getMessage());
    }

    @Test
    void epochRowRejectsAccuracyGivenInPercent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EpochRow(3, 0.2, 0.9, 0.3, 95.0));
        assertEquals("EpochRow: valAcc must be a fraction in [0, 1] but was 95.0 (epoch 3)", e.getMessage());
    }
}
