package dev.nn4j.io;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.nn.AdaptiveAvgPool2d;
import dev.nn4j.nn.AvgPool2d;
import dev.nn4j.nn.Conv1d;
import dev.nn4j.nn.Conv2d;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.LSTM;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.MaxPool2d;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.SequencePool;
import dev.nn4j.nn.Sequential;
import dev.nn4j.nn.Upsample;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON specs of the convolution, pooling, upsampling and sequence-pooling layers: round trips, a hand-written LeNet, errors. */
class ModelSpecImageAndSequenceLayersTest {
    record Case(String name, Supplier<Module> layer, int[] inputShape) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Generator g = new Generator(3);
        return Stream.of(
                new Case("conv2d", () -> new Conv2d(3, 4, 3), new int[] {2, 3, 6, 6}),
                new Case("conv2d_every_option", () -> new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0},
                        new int[] {1, 2}, 2, false, g), new int[] {1, 4, 7, 6}),
                new Case("conv2d_same", () -> new Conv2d(2, 3, new int[] {4, 2}, new int[] {1, 1}, "same", new int[] {1, 3}, 1, true, g), new int[] {1, 2, 5, 7}),
                new Case("conv1d", () -> new Conv1d(3, 4, 3, 2, 2, 2, 1, true, g), new int[] {2, 3, 9}),
                new Case("conv1d_same_grouped", () -> new Conv1d(4, 2, 4, 1, "same", 1, 2, false, g), new int[] {2, 4, 6}),
                new Case("maxpool2d", () -> new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 0}, new int[] {2, 1}), new int[] {1, 2, 5, 7}),
                new Case("avgpool2d", () -> new AvgPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, false), new int[] {1, 2, 5, 4}),
                new Case("adaptive_avgpool2d", () -> new AdaptiveAvgPool2d(3, 2), new int[] {2, 2, 7, 5}),
                new Case("upsample_scale", () -> new Upsample(null, new int[] {2, 3}, "nearest"), new int[] {1, 2, 3, 2}),
                new Case("upsample_size", () -> new Upsample(new int[] {5}, null, "nearest"), new int[] {1, 2, 3}),
                new Case("sequence_pool_last", () -> new SequencePool("last"), new int[] {2, 4, 3}),
                new Case("sequence_pool_mean", () -> new SequencePool("mean"), new int[] {2, 4, 3}),
                new Case("lstm_preset", () -> new Sequential(new Flatten(1, 2), new LSTM(28, 16, 1, true, true, 0, false, g),
                        new SequencePool("last"), new Linear(16, 10)), new int[] {2, 1, 28, 28}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuildsTheSameLayerFromItsSpec(Case c) {
        Module original = c.layer().get().eval();
        String json = ModelSpec.toJson(original);
        Module rebuilt = ModelSpec.fromJson(json).eval();
        assertEquals(json, ModelSpec.toJson(rebuilt), "spec of the rebuilt layer");
        assertEquals(original.toString(), rebuilt.toString());
        rebuilt.loadStateDict(original.stateDict());
        Tensor x = Tensor.randn(new Generator(7), c.inputShape());
        try (var _ = NoGrad.enter()) {
            assertArrayEquals(original.forward(x).toFloatArray(), rebuilt.forward(x).toFloatArray());
        }
    }

    @Test
    void specsUsePyTorchArgumentNames() {
        assertEquals("{\"type\":\"Conv2d\",\"in_channels\":1,\"out_channels\":6,\"kernel_size\":[5,5],\"stride\":[1,1],\"padding\":[2,2],"
                + "\"dilation\":[1,1],\"groups\":1,\"bias\":true,\"padding_mode\":\"zeros\"}", ModelSpec.toJson(new Conv2d(1, 6, 5, 1, 2)));
        assertEquals("{\"type\":\"MaxPool2d\",\"kernel_size\":[2,2],\"stride\":[2,2],\"padding\":[0,0],\"dilation\":[1,1],\"ceil_mode\":false}",
                ModelSpec.toJson(new MaxPool2d(2)));
        assertEquals("{\"type\":\"Upsample\",\"scale_factor\":[2],\"mode\":\"nearest\"}", ModelSpec.toJson(new Upsample(2)));
        assertEquals("{\"type\":\"SequencePool\",\"mode\":\"mean\"}", ModelSpec.toJson(new SequencePool("mean")));
    }

    @Test
    void handWrittenLeNetSpecBuildsAndRuns() {
        // PyTorch style: single integers for square kernels, stride left out (MaxPool2d's defaults to the kernel), 2.0 as a scale factor
        String lenet = """
                {"type": "Sequential", "layers": [
                  {"type": "Conv2d", "in_channels": 1, "out_channels": 6, "kernel_size": 5, "padding": 2},
                  {"type": "ReLU"},
                  {"type": "MaxPool2d", "kernel_size": 2},
                  {"type": "Conv2d", "in_channels": 6, "out_channels": 16, "kernel_size": 5},
                  {"type": "ReLU"},
                  {"type": "MaxPool2d", "kernel_size": 2},
                  {"type": "Flatten"},
                  {"type": "Linear", "in_features": 400, "out_features": 120},
                  {"type": "ReLU"},
                  {"type": "Linear", "in_features": 120, "out_features": 84},
                  {"type": "ReLU"},
                  {"type": "Linear", "in_features": 84, "out_features": 10}
                ]}""";
        Module net = ModelSpec.fromJson(lenet);
        // conv 6·1·25+6, conv 16·6·25+16, fc 400·120+120, 120·84+84, 84·10+10
        assertEquals(156 + 2416 + 48120 + 10164 + 850, net.parameterCount());
        assertArrayEquals(new int[] {3, 10}, net.forward(Tensor.randn(new Generator(1), 3, 1, 28, 28)).shape());
        Module upsampled = ModelSpec.fromJson("{\"type\":\"Sequential\",\"layers\":[{\"type\":\"Upsample\",\"scale_factor\":2.0},"
                + "{\"type\":\"AdaptiveAvgPool2d\",\"output_size\":1},{\"type\":\"Flatten\"}]}");
        assertArrayEquals(new int[] {2, 3}, upsampled.forward(Tensor.ones(2, 3, 4, 4)).shape());
    }

    @Test
    void unsupportedOptionsAreNamed() {
        String reflect = "{\"type\":\"Conv2d\",\"in_channels\":1,\"out_channels\":2,\"kernel_size\":3,\"padding_mode\":\"reflect\"}";
        assertEquals("model spec: model has padding_mode \"reflect\"; nn4j supports only \"zeros\"",
                assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(reflect)).getMessage());
        assertEquals("model spec: model has ceil_mode true; nn4j pools in floor mode only (ceil_mode false)",
                assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":\"MaxPool2d\",\"kernel_size\":2,\"ceil_mode\":true}")).getMessage());
        assertEquals("model spec: model needs \"kernel_size\" (an integer or a list of 2)",
                assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":\"AvgPool2d\"}")).getMessage());
        assertEquals("model spec: model needs one or 2 integers in \"kernel_size\" but has 3",
                assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":\"MaxPool2d\",\"kernel_size\":[2,2,2]}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":\"Upsample\",\"scale_factor\":1.5}"))
                .getMessage().contains("integer scale factors only"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{\"type\":\"Nope\"}"))
                .getMessage().endsWith("Conv1d, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Upsample, SequencePool"));
    }
}
