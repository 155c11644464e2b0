package dev.nn4j.backend;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Chooses the kernels once per JVM: the Vector API kernels when {@code jdk.incubator.vector} is readable
 * (run with {@code --add-modules jdk.incubator.vector}), otherwise the scalar ones after exactly one warning.
 * This is Lucene's pattern: {@link VectorKernels} is only loaded by reflection after the module check, so a
 * JVM without the module never touches a class of the vector package.
 *
 * <p>The system property {@value #PROPERTY} selects: {@code auto} (the default) or {@code vector} as above,
 * {@code scalar} to force the scalar kernels without a warning.
 */
public final class Backend {
    /** The system property that selects the kernels: {@code auto}, {@code vector} or {@code scalar}. */
    public static final String PROPERTY = "nn4j.kernels";
    private static final String MODULE = "jdk.incubator.vector";
    private static final Logger LOG = Logger.getLogger(Backend.class.getName());
    private static volatile Kernels kernels = choose(System.getProperty(PROPERTY),
            ModuleLayer.boot().findModule(MODULE).isPresent(), Backend::loadVectorKernels, LOG::warning);

    private Backend() {}

    /** The kernels every tensor op uses. */
    public static Kernels kernels() {
        return kernels;
    }

    /** Replaces the kernels (tests compare backends; benchmarks pin one). */
    public static void use(Kernels k) {
        kernels = k;
    }

    /**
     * Compiles the matmul kernels' paths before real work (small products on throwaway arrays, for at most
     * {@code maxMillis}); a no-op for the scalar kernels, which C2 compiles quickly. The CLI runs it while the data
     * loads. Returns the number of kernel calls made.
     */
    public static long warmUp(long maxMillis) {
        return vectorized() ? KernelWarmUp.run(kernels, maxMillis * 1_000_000L) : 0;
    }

    /** True when the Vector API kernels are in use. */
    public static boolean vectorized() {
        return !kernels.getClass().equals(ScalarKernels.class);
    }

    /**
     * The decision, apart from the JVM so that tests can drive it: {@code requested} is the property's value
     * (null for unset), {@code vector} is only called when the module is readable, and every path that does
     * not give the requested or automatic vector kernels calls {@code warn} exactly once, except a requested
     * {@code scalar}, which is silent.
     */
    static Kernels choose(String requested, boolean moduleReadable, Supplier<Kernels> vector, Consumer<String> warn) {
        String mode = requested == null ? "auto" : requested.trim().toLowerCase(java.util.Locale.ROOT);
        switch (mode) {
            case "scalar" -> { return new ScalarKernels(); }
            case "auto", "vector", "" -> { }
            default -> {
                warn.accept("nn4j: unknown value '" + requested + "' for -D" + PROPERTY
                        + " (expected auto, vector or scalar); using the scalar kernels.");
                return new ScalarKernels();
            }
        }
        if (!moduleReadable) {
            warn.accept("nn4j: the Vector API is not available, so the slower scalar kernels are used. "
                    + "Run java with --add-modules " + MODULE + " to enable the fast kernels.");
            return new ScalarKernels();
        }
        try {
            return vector.get();
        } catch (RuntimeException | LinkageError e) {
            warn.accept("nn4j: could not load the Vector API kernels (" + e + "); using the scalar kernels.");
            return new ScalarKernels();
        }
    }

    /** Instantiates {@link VectorKernels} by name; only called once the module is known to be readable. */
    static Kernels loadVectorKernels() {
        try {
            return (Kernels) Class.forName("dev.nn4j.backend.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e.toString(), e);
        }
    }
}
