package dev.nn4j.nn;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A chain of modules applied in order, {@code y = mₙ(…m₂(m₁(x)))}, as {@code torch.nn.Sequential}. The modules
 * are children named {@code "0"}, {@code "1"}, …, so their parameters are {@code 0.weight}, {@code 0.bias}, ….
 *
 * <p><b>Shapes:</b> whatever the first module takes and the last one returns.
 *
 * <p>Reference: <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Sequential.html">torch.nn.Sequential</a>.
 */
public final class Sequential extends Module {
    private final List<Module> modules = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module under the next index; returns this. */
    public Sequential add(Module module) {
        modules.add(registerModule(String.valueOf(modules.size()), module));
        return this;
    }

    /** The module at {@code index}; a negative index counts from the end, as in Python. */
    public Module get(int index) {
        int i = index < 0 ? index + modules.size() : index;
        if (i < 0 || i >= modules.size()) throw new IndexOutOfBoundsException("Sequential.get: index " + index + " is out of range for " + modules.size() + " modules");
        return modules.get(i);
    }

    /**
     * Puts {@code module} at {@code index} (negative counts from the end) under the same name, as Python's
     * {@code seq[i] = module}; returns the module it replaces.
     */
    public Module set(int index, Module module) {
        Module old = get(index);
        int i = index < 0 ? index + modules.size() : index;
        replaceModule(String.valueOf(i), module);
        modules.set(i, module);
        return old;
    }

    public int size() {
        return modules.size();
    }

    /**
     * Each module in turn; a {@link Conv2d} followed by a {@link ReLU}, a {@link MaxPool2d} or both in that order runs
     * as one {@link Conv2d#forwardFused}, and a {@link Linear} (or {@link InferenceLinear}) followed by a {@link ReLU}
     * as one {@link FusesRelu#forwardFused}: the same values and gradients (no module can see the tensors between them).
     * The storage of an activation between two layers of {@link #RECYCLABLE} types is reused once both have run under
     * {@link NoGrad}, and otherwise once a backward pass through it has freed the graph
     * ({@link Tensor#releaseAfterBackward}); the input and the output are never touched.
     */
    @Override
    public Tensor forward(Tensor x) {
        boolean recycle = !NoGrad.gradEnabled();
        Tensor input = x;
        boolean fromLayer = false;  // whether x is the output of a layer in RECYCLABLE, made in this call
        for (int i = 0; i < modules.size(); i++) {
            Tensor in = x;
            int first = i;
            if (modules.get(i) instanceof Conv2d conv) {
                boolean relu = next(i) instanceof ReLU;
                MaxPool2d pool = next(relu ? i + 1 : i) instanceof MaxPool2d p ? p : null;
                x = conv.forwardFused(x, relu, pool);
                i += (relu ? 1 : 0) + (pool != null ? 1 : 0);
            } else if (modules.get(i) instanceof FusesRelu layer && next(i) instanceof ReLU) {
                x = layer.forwardFused(x, true);
                i++;
            } else {
                x = modules.get(i).forward(x);
            }
            boolean layers = RECYCLABLE.contains(modules.get(first).getClass()) && RECYCLABLE.contains(modules.get(i).getClass());
            // an activation between two layers is dead once the second has run (with a graph, once backward is done): its
            // storage goes to the thread's buffer cache for the next output of its size (release() keeps storage that a
            // view shares)
            if (fromLayer && layers && in != input && in != x) {
                if (recycle) in.release();
                else in.releaseAfterBackward();
            }
            fromLayer = layers;
        }
        return x;
    }

    /**
     * Layers that keep no reference to their input or output, so that under {@link NoGrad} an activation made by one
     * of them and read only by the next is dead after that: {@link #forward} hands its storage back for reuse. The
     * next call's outputs then land in memory still in cache instead of fresh, zeroed heap: the seed MLP's batch-256
     * inference ran at 324,000–364,000 images/s against 268,000–301,000 ({@code InferTimer}, three alternating pairs;
     * BENCHMARKS.md, session 14). A module of any other type may keep what it is given, so its input and output are left alone.
     */
    private static final Set<Class<? extends Module>> RECYCLABLE = Set.of(Linear.class, InferenceLinear.class, Conv1d.class,
            Conv2d.class, MaxPool2d.class, AvgPool2d.class, AdaptiveAvgPool2d.class, ReLU.class, LeakyReLU.class, ELU.class,
            GELU.class, SiLU.class, Sigmoid.class, Tanh.class, Softmax.class, LogSoftmax.class, Flatten.class, Dropout.class,
            BatchNorm1d.class, BatchNorm2d.class, LayerNorm.class, GroupNorm.class, Upsample.class);

    private Module next(int i) {
        return i + 1 < modules.size() ? modules.get(i + 1) : null;
    }
}
