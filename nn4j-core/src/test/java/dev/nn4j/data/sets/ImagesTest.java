package dev.nn4j.data.sets;

import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagesTest {
    @TempDir
    Path dir;

    static Path write(BufferedImage image, Path file) throws IOException {
        String format = file.toString().endsWith(".png") ? "png" : "jpg";
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), "no " + format + " writer");
        return file;
    }

    /** A 2×3 colour image: row 0 red, green, blue; row 1 white, black, (200, 100, 50). */
    static BufferedImage colours() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] rgb = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff, 0x000000, 0xc86432};
        for (int i = 0; i < 6; i++) img.setRGB(i % 3, i / 3, rgb[i]);
        return img;
    }

    private static void resizeMatchesPyTorch(String name) {
        Golden g = Golden.load("resize/" + name);
        int[] in = g.tensor("x").shape(), out = g.tensor("y").shape();
        float[] y = Images.resize(g.tensor("x").toFloatArray(), in[0], in[1], in[2], out[1], out[2]);
        g.assertClose("y", Tensor.fromArray(y, out), 1e-6, 1e-6);
    }

    @Test
    void shrinkingAveragesAreasAsPyTorchInterpolateArea() {
        resizeMatchesPyTorch("area"); // [2, 5, 7] -> [2, 3, 4]: overlapping windows
    }

    @Test
    void enlargingIsBilinearAsPyTorchWithoutAlignCorners() {
        resizeMatchesPyTorch("bilinear"); // [2, 3, 4] -> [2, 5, 7]
    }

    @Test
    void eachAxisChoosesOnItsOwn() {
        resizeMatchesPyTorch("mixed"); // [1, 6, 3] -> [1, 4, 5]: area on height, bilinear on width
    }

    @Test
    void theSameSizeIsUntouched() {
        float[] v = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        assertSame(v, Images.resize(v, 1, 2, 3, 2, 3));
    }

    @Test
    void greyPngsAreReadAsStoredIn8And16Bits() throws IOException {
        BufferedImage grey8 = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] v8 = {0, 64, 128, 255};
        for (int i = 0; i < 4; i++) grey8.getRaster().setSample(i % 2, i / 2, 0, v8[i]);
        Tensor t = Images.read(write(grey8, dir.resolve("g8.png")), 2, 2, ColorMode.GREY);
        assertArrayEquals(new int[] {1, 2, 2}, t.shape());
        assertArrayEquals(new float[] {0, 64 / 255f, 128 / 255f, 1}, t.toFloatArray());

        BufferedImage grey16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] v16 = {0, 32768, 65535};
        for (int i = 0; i < 3; i++) grey16.getRaster().setSample(i, 0, 0, v16[i]);
        assertArrayEquals(new float[] {0, 32768 / 65535f, 1}, Images.read(write(grey16, dir.resolve("g16.png")), 1, 3, ColorMode.GREY).toFloatArray());

        // as RGB, grey repeats in the three channels
        Tensor rgb = Images.read(dir.resolve("g8.png"), 2, 2, ColorMode.RGB);
        assertArrayEquals(new int[] {3, 2, 2}, rgb.shape());
        for (int c = 0; c < 3; c++) assertArrayEquals(t.select(0, 0).toFloatArray(), rgb.select(0, c).toFloatArray());
    }

    @Test
    void colourPngsGiveRgbPlanesOrBt601Luma() throws IOException {
        Path png = write(colours(), dir.resolve("c.png"));
        Tensor rgb = Images.read(png, 2, 3, ColorMode.RGB);
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 200 / 255f}, rgb.select(0, 0).toFloatArray()); // R plane
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 100 / 255f}, rgb.select(0, 1).toFloatArray()); // G plane
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 50 / 255f}, rgb.select(0, 2).toFloatArray());  // B plane
        // L = 0.299 R + 0.587 G + 0.114 B (white: 0.299 + 0.587 + 0.114 = 1)
        float[] grey = Images.read(png, 2, 3, ColorMode.GREY).toFloatArray();
        float[] expected = {0.299f, 0.587f, 0.114f, 1, 0, (0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255};
        for (int i = 0; i < 6; i++) assertEquals(expected[i], grey[i], 1e-6, "pixel " + i);
    }

    @Test
    void paletteImagesGoThroughTheirColourTable() throws IOException {
        BufferedImage bits = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY); // 1-bit palette: black, white
        bits.setRGB(1, 0, 0xffffff);
        assertArrayEquals(new float[] {0, 1}, Images.read(write(bits, dir.resolve("b.png")), 1, 2, ColorMode.GREY).toFloatArray());
    }

    @Test
    void jpegsAreReadAndResized() throws IOException {
        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) flat.setRGB(x, y, 0xc86432);
        Tensor t = Images.read(write(flat, dir.resolve("f.jpg")), 4, 4, ColorMode.RGB);
        assertArrayEquals(new int[] {3, 4, 4}, t.shape());
        float[] expected = {200 / 255f, 100 / 255f, 50 / 255f};
        // JPEG is lossy: a flat colour comes back within a few levels
        for (int c = 0; c < 3; c++) for (float v : t.select(0, c).toFloatArray()) assertEquals(expected[c], v, 4 / 255f, "channel " + c);
    }

    @Test
    void anUnreadableImageNamesTheFile() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Images.read(text, 4, 4, ColorMode.GREY));
        assertTrue(e.getMessage().startsWith("cannot read image " + text + ": "), e.getMessage());

        Path png = write(colours(), dir.resolve("whole.png"));
        byte[] bytes = Files.readAllBytes(png);
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(IllegalArgumentException.class, () -> Images.read(cut, 4, 4, ColorMode.GREY));
        assertTrue(e.getMessage().startsWith("cannot read image " + cut + ": "), e.getMessage());

        Path missing = dir.resolve("missing.png");
        e = assertThrows(IllegalArgumentException.class, () -> Images.read(missing, 4, 4, ColorMode.GREY));
        assertTrue(e.getMessage().startsWith("cannot read image " + missing + ": "), e.getMessage());
    }
}
