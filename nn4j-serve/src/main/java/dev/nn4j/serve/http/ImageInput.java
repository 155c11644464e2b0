package dev.nn4j.serve.http;

import dev.nn4j.data.sets.ColorMode;
import dev.nn4j.data.sets.Images;
import dev.nn4j.serve.ServeException;
import dev.nn4j.serve.model.LoadedModel;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Turns a PNG or JPEG body into one example for a model, as {@code nn4j predict} does: grey or RGB as the model's
 * input shape says ({@code [C, H, W]}, or {@code [H·W]} for a flattened square grey image), resized, scaled to
 * [0, 1]. The model's stored preprocessing is applied later, with every other input. Images over
 * {@link #MAX_PIXELS} pixels are refused before they are decoded.
 */
final class ImageInput {
    /** Largest image decoded (width × height), against decompression bombs: a small file can declare a huge image. */
    static final long MAX_PIXELS = 4096L * 4096L;

    private ImageInput() {}

    static float[] read(byte[] body, LoadedModel model) {
        int[] shape = model.inputShape();
        int channels, height, width;
        if (shape.length == 3 && (shape[0] == 1 || shape[0] == 3)) {
            channels = shape[0];
            height = shape[1];
            width = shape[2];
        } else if (shape.length == 1 && (long) Math.round(Math.sqrt(shape[0])) * Math.round(Math.sqrt(shape[0])) == shape[0]) {
            channels = 1;
            height = width = (int) Math.round(Math.sqrt(shape[0]));
        } else {
            throw new ServeException(400, "model " + model.name() + " takes inputs of shape " + Arrays.toString(shape)
                    + ", not images; use POST /v2/models/" + model.name() + "/infer");
        }
        BufferedImage image = decode(body);
        ColorMode mode = channels == 3 ? ColorMode.RGB : ColorMode.GREY;
        return Images.resize(Images.pixels(image, mode), channels, image.getHeight(), image.getWidth(), height, width);
    }

    private static BufferedImage decode(byte[] body) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(body))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) throw new ServeException(400, "the body is not a PNG or JPEG image");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new ServeException(413, "image of " + reader.getWidth(0) + "×" + reader.getHeight(0) + " pixels is over the limit of " + MAX_PIXELS + " pixels");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServeException s) throw s;
            throw new ServeException(400, "cannot decode the image: " + e.getMessage());
        }
    }
}
