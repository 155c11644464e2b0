package dev.nn4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nn4j.io.ModelFile;
import dev.nn4j.nn.Conv2d;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.MaxPool2d;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.Sequential;
import dev.nn4j.serve.model.ModelSource;
import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A convolutional model (as {@code nn4j train --model cnn} writes: input_shape {@code [1, H, W]}, Conv2d first, no
 * Flatten in front) served over HTTP: image-shaped, flat and PNG inputs all reach the model as {@code [B, 1, H, W]}.
 */
class ConvModelServingTest {
    @Test
    void imageShapedFlatAndPngInputsGiveTheDirectForwardPass(@TempDir Path dir) throws IOException {
        Generator gen = new Generator(5);
        Module conv = new Sequential(new Conv2d(1, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, gen),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, TestModels.CLASSES, true, gen));
        Path file = dir.resolve("conv.safetensors");
        ModelFile.save(file, conv, Map.of("input_shape", "[1, 8, 8]", "classes", TestModels.CLASS_NAMES,
                dev.nn4j.data.Preprocessing.METADATA_KEY, TestModels.PRE.toJson()));
        float[] a = TestModels.example(4), b = TestModels.example(5);
        float[] directA = TestModels.directLogits(file, a), directB = TestModels.directLogits(file, b);

        try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0).withReloadPollMs(0),
                List.of(ModelSource.parse("conv=" + file)))) {
            String infer = server.url() + "/v2/models/conv/infer";
            JsonNode meta = Http.get(server.url() + "/v2/models/conv").json();
            assertEquals("[-1,1,8,8]", meta.get("inputs").get(0).get("shape").toString());

            // [2, 1, 8, 8], then the same values as [2, 64]
            Http.Reply shaped = Http.postJson(infer, Http.inferBody(null, a, b));
            assertEquals(200, shaped.status(), shaped.body());
            float[] logits = Http.output(shaped.json(), "logits");
            for (int j = 0; j < TestModels.CLASSES; j++) {
                assertEquals(directA[j], logits[j], 1e-5f);
                assertEquals(directB[j], logits[TestModels.CLASSES + j], 1e-5f);
            }
            Http.Reply flat = Http.postJson(infer, Http.inferBody(null, a, b).replace("[2,1,8,8]", "[2,64]"));
            assertEquals(200, flat.status(), flat.body());
            float[] flatLogits = Http.output(flat.json(), "logits");
            for (int j = 0; j < logits.length; j++) assertEquals(logits[j], flatLogits[j], 1e-6f);

            // a PNG of exactly 8×8 grey pixels is the example itself, to byte precision
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            float[] pixels = new float[64];
            for (int p = 0; p < 64; p++) {
                int v = Math.round(a[p] * 255);
                image.getRaster().setSample(p % 8, p / 8, 0, v);
                pixels[p] = v / 255f;
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            Http.Reply predicted = Http.post(server.url() + "/v1/models/conv/predict", "image/png", png.toByteArray());
            assertEquals(200, predicted.status(), predicted.body());
            assertEquals(argmax(TestModels.directLogits(file, pixels)), predicted.json().get("index").asInt());
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
