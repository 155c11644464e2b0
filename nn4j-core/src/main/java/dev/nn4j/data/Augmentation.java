package dev.nn4j.data;

import java.util.List;

/**
 * The named augmentation presets behind {@code nn4j train --augment NAME}, for the training split only.
 * Each preset is a fixed {@link Transform} pipeline, applied in the order listed:
 * <ul>
 *   <li>{@code none}: {@link Transform#identity()}; draws nothing.</li>
 *   <li>{@code digits}: {@link RandomAffine} rotation ±10°, shift ±2 px, scale [0.9, 1.1]. No flip: a mirrored
 *       digit is another glyph.</li>
 *   <li>{@code fashion}: {@link RandomAffine} shift ±2 px only (rotation 0°, scale [1, 1]);
 *       {@link RandomHorizontalFlip} p = 0.5; {@link RandomErasing} p = 0.25, area [0.02, 0.1], ratio [0.3, 3.3].</li>
 *   <li>{@code strong}: {@link RandomAffine} rotation ±15°, shift ±3 px, scale [0.85, 1.15];
 *       {@link RandomErasing} p = 0.5, area [0.02, 0.2], ratio [0.3, 3.3]; {@link GaussianNoise} std 0.05.
 *       No flip, so it suits digits as well as clothing.</li>
 * </ul>
 * {@snippet :
 * Transform augment = Augmentation.preset("digits", new ImageShape(1, 28, 28));
 * }
 */
public final class Augmentation {
    /** The preset names, in order of strength. */
    public static final List<String> PRESETS = List.of("none", "digits", "fashion", "strong");

    private Augmentation() {}

    /** The preset {@code name} for images of {@code shape}; an error listing the presets for an unknown name. */
    public static Transform preset(String name, ImageShape shape) {
        return switch (name) {
            case "none" -> Transform.identity();
            case "digits" -> new RandomAffine(shape, 10, 2, 0.9, 1.1);
            case "fashion" -> Transform.compose(List.of(
                    new RandomAffine(shape, 0, 2, 1, 1),
                    new RandomHorizontalFlip(shape, 0.5),
                    new RandomErasing(shape, 0.25, 0.02, 0.1, 0.3, 3.3)));
            case "strong" -> Transform.compose(List.of(
                    new RandomAffine(shape, 15, 3, 0.85, 1.15),
                    new RandomErasing(shape, 0.5, 0.02, 0.2, 0.3, 3.3),
                    new GaussianNoise(0.05)));
            default -> throw new IllegalArgumentException("unknown augmentation preset '" + name + "'; expected one of "
                    + String.join(", ", PRESETS));
        };
    }
}
