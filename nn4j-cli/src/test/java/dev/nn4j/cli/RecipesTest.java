package dev.nn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code --model} presets and spec files: architectures, the example shape each takes, and the errors for misfits. */
class RecipesTest {
    private static final int[] FLAT = {784};

    @Test
    void trainHelpNamesEveryPreset() {
        CliRun help = CliRun.of("train", "--help");
        assertEquals(0, help.code(), help.err());
        String text = (help.out() + help.err()).replaceAll("\\s+", " ");
        for (String preset : Recipes.PRESETS) assertTrue(text.contains(preset), preset + " missing from: " + text);
    }

    @Test
    void presetsHaveTheRoundFiveArchitectures() {
        // cnn: 32·9+32, 64·32·9+64, 9216·128+128, 128·10+10 (the PyTorch MNIST example)
        assertEquals(320 + 18_496 + 1_179_776 + 1_290, Recipes.model("cnn", null, 0, FLAT, 10).net().parameterCount());
        // lenet5: 6·25+6, 16·6·25+16, 400·120+120, 120·84+84, 84·10+10
        assertEquals(156 + 2_416 + 48_120 + 10_164 + 850, Recipes.model("lenet5", null, 0, FLAT, 10).net().parameterCount());
        // lstm: 4·128·(28+128) weights + 2·4·128 biases, then 128·10+10
        assertEquals(4 * 128 * (28 + 128) + 2 * 4 * 128 + 1_290, Recipes.model("lstm", null, 0, FLAT, 10).net().parameterCount());
        // transformer: embedding 28·64+64, positions 28·64, per encoder layer in_proj 3·64·64+3·64, out_proj 64·64+64,
        // linear1 64·128+128, linear2 128·64+64, two LayerNorms 2·2·64; final LayerNorm 2·64; head 64·10+10
        int layer = 3 * 64 * 64 + 3 * 64 + 64 * 64 + 64 + 64 * 128 + 128 + 128 * 64 + 64 + 4 * 64;
        assertEquals(28 * 64 + 64 + 28 * 64 + 2 * layer + 2 * 64 + 650, Recipes.model("transformer", null, 0, FLAT, 10).net().parameterCount());
        for (String preset : new String[] {"cnn", "lenet5", "lstm", "transformer"}) {
            Recipes.Model m = Recipes.model(preset, null, 0, new int[] {1, 28, 28}, 10);
            assertArrayEquals(new int[] {1, 28, 28}, m.inputShape(), preset);
            assertArrayEquals(new int[] {2, 10}, m.net().forward(dev.nn4j.tensor.Tensor.zeros(2, 1, 28, 28)).shape(), preset);
        }
        assertArrayEquals(FLAT, Recipes.model("mlp", new int[] {16}, 0, FLAT, 10).inputShape());
    }

    @Test
    void imagePresetsRefuseDatasetsOfAnotherSize() {
        var e = assertThrows(IllegalArgumentException.class, () -> Recipes.model("cnn", null, 0, new int[] {3, 32, 32}, 10));
        assertEquals("--model cnn takes 1×28×28 grey images (like mnist, fashion-mnist and mnist-sample) but the dataset's examples "
                + "have shape [3, 32, 32]; use --model mlp or a JSON spec file", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Recipes.model("lstm", null, 0, new int[] {13}, 3));
        assertThrows(IllegalArgumentException.class, () -> Recipes.model("transformer", null, 0, new int[] {28, 29}, 10));
        var t = assertThrows(IllegalArgumentException.class, () -> Recipes.model("vgg16", null, 0, FLAT, 10));
        assertEquals("--model must be one of mlp, cnn, lenet5, lstm, transformer or a JSON spec file, but 'vgg16' is neither", t.getMessage());
    }

    @Test
    void specFilesGetFlatInputsOrImagesWhicheverTheyTake(@TempDir Path dir) throws IOException {
        Path conv = Files.writeString(dir.resolve("conv.json"), """
                {"type":"Sequential","layers":[{"type":"Conv2d","in_channels":1,"out_channels":4,"kernel_size":3},
                 {"type":"AdaptiveAvgPool2d","output_size":1},{"type":"Flatten"},{"type":"Linear","in_features":4,"out_features":10}]}""");
        Recipes.Model m = Recipes.model(conv.toString(), null, 0, FLAT, 10);
        assertArrayEquals(new int[] {1, 28, 28}, m.inputShape());
        assertTrue(m.net().isTraining(), "the probe leaves the model in training mode");
        Path mlp = Files.writeString(dir.resolve("mlp.json"), "{\"type\":\"Linear\",\"in_features\":784,\"out_features\":10}");
        assertArrayEquals(FLAT, Recipes.model(mlp.toString(), null, 0, FLAT, 10).inputShape());
        Path wrong = Files.writeString(dir.resolve("wrong.json"), "{\"type\":\"Linear\",\"in_features\":100,\"out_features\":10}");
        var e = assertThrows(IllegalArgumentException.class, () -> Recipes.model(wrong.toString(), null, 0, FLAT, 10));
        assertTrue(e.getMessage().startsWith("model spec " + wrong + " does not take the dataset's examples (shape [784]) as [1, 784]: Linear"), e.getMessage());
        assertTrue(e.getMessage().contains("; as [1, 1, 28, 28]: "), e.getMessage());
    }

    @Test
    void mlpOnlyOptionsWithAnotherModelEndWithOneLine(@TempDir Path dir) {
        CliRun hidden = CliRun.of("train", "--model", "cnn", "--hidden", "64", "--out", dir.toString());
        assertEquals(1, hidden.code());
        assertEquals("nn4j train: --hidden applies only to --model mlp; the cnn architecture is fixed (write a JSON spec file to change it)",
                hidden.err().lines().findFirst().orElse(""));
        CliRun dropout = CliRun.of("train", "--model", "lstm", "--dropout", "0.2", "--out", dir.toString());
        assertTrue(dropout.err().startsWith("nn4j train: --dropout applies only to --model mlp"), dropout.err());
        CliRun transformer = CliRun.of("train", "--model", "transformer", "--hidden", "64", "--out", dir.toString());
        assertEquals(1, transformer.code());
        assertTrue(transformer.err().startsWith("nn4j train: --hidden applies only to --model mlp; the transformer architecture is fixed"), transformer.err());
    }
}
