package dev.nn4j.data;

import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nn4j.data.PreprocessingTest.bits;
import static dev.nn4j.data.SplitsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class AugmentationTest {
    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    @Test
    void presetsHaveTheDocumentedParameters() {
        assertSame(Transform.identity(), Augmentation.preset("none", MNIST));
        assertEquals("RandomAffine(degrees=10.0, shift=2, scale=[0.9, 1.1])", Augmentation.preset("digits", MNIST).toString());
        assertEquals("RandomAffine(degrees=0.0, shift=2, scale=[1.0, 1.0]) then RandomHorizontalFlip(p=0.5) then "
                + "RandomErasing(p=0.25, area=[0.02, 0.1], ratio=[0.3, 3.3])", Augmentation.preset("fashion", MNIST).toString());
        assertEquals("RandomAffine(degrees=15.0, shift=3, scale=[0.85, 1.15]) then RandomErasing(p=0.5, area=[0.02, 0.2], ratio=[0.3, 3.3]) "
                + "then GaussianNoise(std=0.05)", Augmentation.preset("strong", MNIST).toString());
        assertEquals(List.of("none", "digits", "fashion", "strong"), Augmentation.PRESETS);
    }

    @Test
    void everyPresetKeepsTheShapeAndIsFixedByTheSeed() {
        Tensor x = Tensor.rand(new Generator(1), 16, 784);
        for (String name : Augmentation.PRESETS) {
            Transform t = Augmentation.preset(name, MNIST);
            Tensor a = t.apply(x, new Generator(2));
            assertArrayEquals(x.shape(), a.shape(), name);
            assertArrayEquals(bits(a), bits(t.apply(x, new Generator(2))), name);
            if (!name.equals("none")) assertNotEquals(java.util.Arrays.toString(bits(x)), java.util.Arrays.toString(bits(a)), name + " changes the images");
        }
    }

    @Test
    void chainsApplyInOrderAndFlatten() {
        Transform addOne = (x, g) -> x.add(1f), twice = (x, g) -> x.mul(2f);
        Transform chain = addOne.andThen(twice).andThen(Transform.identity()).andThen(addOne);
        assertEquals(3, ((Transform.Chain) chain).transforms().size());
        assertArrayEquals(new float[] {5}, chain.apply(Tensor.of(1), new Generator(0)).toFloatArray()); // (1 + 1)·2 + 1
        assertSame(addOne, Transform.identity().andThen(addOne));
        assertSame(Transform.identity(), Transform.compose(List.of()));
    }

    @Test
    void unknownPresetIsAnErrorListingTheKnownOnes() {
        assertMessage("unknown augmentation preset 'heavy'; expected one of none, digits, fashion, strong", () -> Augmentation.preset("heavy", MNIST));
    }
}
