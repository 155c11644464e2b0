package dev.nn4j.backend;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel choice: the decision itself, driven directly, and the real one in child JVMs with and without the module. */
class BackendTest {
    private static final Kernels MARKER = new ScalarKernels() { };
    private static final Supplier<Kernels> MUST_NOT_LOAD = () -> {
        throw new AssertionError("the vector kernels must not be touched on this path");
    };

    private final List<String> warnings = new ArrayList<>();

    @Test
    void choosesVectorKernelsSilentlyWhenModuleIsReadable() {
        assertSame(MARKER, Backend.choose(null, true, () -> MARKER, warnings::add));
        assertSame(MARKER, Backend.choose("vector", true, () -> MARKER, warnings::add));
        assertSame(MARKER, Backend.choose(" Auto ", true, () -> MARKER, warnings::add));
        assertEquals(List.of(), warnings);
    }

    @Test
    void scalarPropertyForcesScalarKernelsWithoutWarning() {
        Kernels k = Backend.choose("scalar", true, MUST_NOT_LOAD, warnings::add);
        assertEquals(ScalarKernels.class, k.getClass());
        assertEquals(List.of(), warnings);
    }

    @Test
    void missingModuleWarnsOnceWithTheFixAndFallsBackToScalar() {
        Kernels k = Backend.choose(null, false, MUST_NOT_LOAD, warnings::add);
        assertEquals(ScalarKernels.class, k.getClass());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("--add-modules jdk.incubator.vector"), warnings.getFirst());
    }

    @Test
    void failingVectorKernelsWarnOnceWithTheReasonAndFallBack() {
        Supplier<Kernels> failing = () -> {
            throw new UnsupportedOperationException("the preferred vector size is only 64 bits");
        };
        Kernels k = Backend.choose(null, true, failing, warnings::add);
        assertEquals(ScalarKernels.class, k.getClass());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("only 64 bits"), warnings.getFirst());
    }

    @Test
    void unknownPropertyValueWarnsOnceNamingIt() {
        Kernels k = Backend.choose("gpu", true, MUST_NOT_LOAD, warnings::add);
        assertEquals(ScalarKernels.class, k.getClass());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("'gpu'") && warnings.getFirst().contains("nn4j.kernels"), warnings.getFirst());
    }

    @Test
    void testJvmWithModuleGetsVectorKernels() {
        // surefire runs with --add-modules jdk.incubator.vector (root pom)
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertInstanceOf(VectorKernels.class, Backend.choose(null, true, Backend::loadVectorKernels, warnings::add));
        assertEquals(List.of(), warnings);
    }

    @Test
    void childJvmWithoutModuleWarnsExactlyOnceAndComputesCorrectly() throws Exception {
        Result r = runProbe(List.of());
        assertEquals("vectorized=false ok=true", r.stdout.strip(), r.stderr);
        assertEquals(1, count(r.stderr, "the Vector API is not available"), r.stderr);
        assertEquals(1, count(r.stderr, "WARNING"), r.stderr);
    }

    @Test
    void childJvmWithModuleUsesVectorKernelsUnlessScalarIsForced() throws Exception {
        Result vector = runProbe(List.of("--add-modules", "jdk.incubator.vector"));
        assertEquals("vectorized=true ok=true", vector.stdout.strip(), vector.stderr);
        assertEquals(0, count(vector.stderr, "nn4j:"), vector.stderr);
        Result forced = runProbe(List.of("--add-modules", "jdk.incubator.vector", "-Dnn4j.kernels=scalar"));
        assertEquals("vectorized=false ok=true", forced.stdout.strip(), forced.stderr);
        assertEquals(0, count(forced.stderr, "nn4j:"), forced.stderr);
    }

    private record Result(String stdout, String stderr) { }

    private static Result runProbe(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                BackendProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes(), err = p.getErrorStream().readAllBytes();
        assertEquals(0, p.waitFor(), new String(err, StandardCharsets.UTF_8));
        return new Result(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}
