package dev.nn4j.backend;

import java.util.logging.Logger;

/**
 * Chooses the kernels once per JVM: the Vector API kernels when {@code jdk.incubator.vector} is readable
 * (run with {@code --add-modules jdk.incubator.vector}), otherwise the scalar ones after one clear warning.
 * This is Lucene's pattern: the vector classes are only loaded by reflection after the module check, so a
 * JVM without the module never touches them.
 */
public final class Backend {
    private static final Logger LOG = Logger.getLogger(Backend.class.getName());
    private static volatile Kernels kernels = load();

    private Backend() {}

    /** The kernels every tensor op uses. */
    public static Kernels kernels() {
        return kernels;
    }

    /** Replaces the kernels (tests compare backends; benchmarks pin one). */
    public static void use(Kernels k) {
        kernels = k;
    }

    /** True when the Vector API kernels are in use. */
    public static boolean vectorized() {
        return !kernels.getClass().equals(ScalarKernels.class);
    }

    private static Kernels load() {
        if ("scalar".equals(System.getProperty("nn4j.kernels"))) return new ScalarKernels();
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.warning("nn4j: the Vector API is not available, so the slower scalar kernels are used. "
                    + "Run java with --add-modules jdk.incubator.vector to enable the fast kernels.");
            return new ScalarKernels();
        }
        try {
            return (Kernels) Class.forName("dev.nn4j.backend.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warning("nn4j: could not load the Vector API kernels (" + e + "); using the scalar kernels.");
            return new ScalarKernels();
        }
    }
}
