package dev.nn4j.backend;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;
import java.util.function.IntConsumer;

import static dev.nn4j.backend.VectorKernels.L;
import static dev.nn4j.backend.VectorKernels.S;

/**
 * The packed, register-tiled GEMM of {@link VectorKernels}: cache blocking, packing of both operands in either
 * layout, the micro-kernels and the column split over {@link Threads}. {@code M, N, K} as in
 * {@code C[M,N] = op(A)[M,K] · op(B)[K,N]}; {@code MR × NR} the register tile of C ({@code NR = 2L}); {@code MC, KC,
 * NC} the cache blocks of A and B. Every element of C is summed over k in the same order whatever the thread count.
 */
final class PackedGemm {
    private PackedGemm() {}

    /**
     * Rows of the micro-kernel's tile: {@code MR × 2} vector accumulators, plus two B vectors and a broadcast, must fit
     * the vector registers. With 512-bit vectors (32 registers) that is 12 rows (24 accumulators); with 256-bit vectors
     * (AVX2: 16 registers) 6 rows spill. Measured on an AMD EPYC (Zen 3, AVX2), one core, the micro-kernel alone on
     * L1-resident panels (kc = 256): 6 × 16 about 39 GFLOP/s, 5 × 16 34, 4 × 16 83–96, 8 × 8 77–80. On an Intel Xeon
     * (AVX-512), the same way: 12 × 32 162.5–168.7 GFLOP/s, 6 × 32 128.4–139.9; in the whole GEMM, one thread, the
     * weight-gradient shapes of the seed MLP went from 94–97 to 103–114 GFLOP/s and 1024³ from 110–112 to 111–118.
     */
    static final int MR = L >= 16 ? 12 : 4, NR = 2 * L;
    /**
     * Fewest rows of op(A) for which {@link VectorKernels} takes this packed path (fewer go to the unpacked loops): the
     * tile height before the 12-row tile, so that the choice of path is the same as with the 6-row tile.
     */
    static final int MIN_ROWS = L >= 16 ? 6 : 4;
    static final int KC = 256, MC = L >= 16 ? 96 : 64, NC = 512;

    /**
     * The k block for a depth of K: K cut into the nearest whole number of {@link #KC} blocks, equal up to one, so at
     * most 1.5·KC (a 384-deep B panel of 256-bit vectors is 24 KiB, inside L1). A fixed KC left short tails that pay a whole pass of
     * C loads and stores for a few k: the cnn's 288 = 256 + 32 and 576 = 256 + 256 + 64 become 288 and 288 + 288.
     */
    static int kBlock(int K) {
        int blocks = Math.max(1, (K + KC / 2) / KC);
        return (K + blocks - 1) / blocks;
    }

    /**
     * Largest op(A), in floats, that a parallel GEMM packs once for all its tasks (the MLP's products, up to a batch of
     * 256 at K = 784); those GEMMs then split into {@link Threads#TASKS_PER_THREAD} tasks per thread.
     */
    static final int SHARED_A = 256 * 1024;
    /**
     * {@code A·Bᵀ} (a linear layer's {@code x·Wᵀ}) with at most this many rows takes {@link #gemmNT}, with vectors
     * narrower than 512 bits. Measured on an AMD EPYC (Zen 3, AVX2): 64 × 784 · 784 × 256 1.13–1.27× faster than the
     * packed path, 256 rows 0.87–1.14×. With 512-bit vectors the packed path's 12 × 32 tile and vector transposes are
     * ahead ({@code GemmTimer}, Intel Xeon, K = 784, N = 256, one thread): 96 and 128 rows 111–113 against 84–85 GFLOP/s.
     */
    static final int NT_ROWS = L >= 16 ? 0 : 128;
    /** Longest k block of {@link #gemmNT} (K is cut into equal blocks no longer), and its packed x block in floats. */
    static final int KC_NT = 1024, PACKED_X_NT = 96 * 1024;
    /** Largest A, in floats, that a parallel {@link #gemmNT} packs once for all its tasks (the cnn's 64 × 9216 fits). */
    static final int SHARED_X_NT = 1 << 20;

    /**
     * The packed GEMM at any size (GotoBLAS loop order): for each {@code KC × NC} block of op(B), packed into
     * {@code NR}-wide column panels, and each {@code MC × KC} block of op(A), packed into {@code MR}-row panels,
     * the micro-kernel adds one {@code MR × NR} tile of C. Packing reads either layout, so no transpose is
     * materialised; panels are zero-padded so the micro-kernel never branches, and only its stores are masked.
     */
    static void gemm(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                     float[] c, int cOffset, int M, int N, int K) {
        gemm(a, aOffset, transA, b, bOffset, transB, null, c, cOffset, M, N, K, false);
    }

    /**
     * As above, starting C from {@code bias} on every row when it is not null, or from C's current contents when
     * {@code accumulate} ({@code C += op(A)·op(B)}). Without {@code accumulate} the first KC block stores its tiles
     * (plus the bias) instead of adding them to a zeroed C: the same sums, since an accumulator that starts at +0 is
     * never -0, without a pass that zeroes C and a load of every C tile. With a short K (a weight gradient over a batch
     * of 64, one KC block) that takes C's memory traffic from a write, a read and a write to one write.
     */
    static void gemm(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB, float[] bias,
                     float[] c, int cOffset, int M, int N, int K, boolean accumulate) {
        if (M == 0 || N == 0) return;
        if (K == 0) {
            for (int m = 0; m < M && !accumulate; m++) {
                if (bias == null) Arrays.fill(c, cOffset + m * N, cOffset + m * N + N, 0f);
                else System.arraycopy(bias, 0, c, cOffset + m * N, N);
            }
            return;
        }
        if (!transA && transB && M <= NT_ROWS) {
            gemmNT(a, aOffset, b, bOffset, bias, c, cOffset, M, N, K, accumulate);
            return;
        }
        int mPadded = roundUp(M, MR);
        float[] sharedA = null;
        // op(A) is packed once, here, and every task reads it; the tasks, several per thread, then pack only their own
        // panels of B. With one task per thread, each packed all of A again, and a thread that the pool woke late
        // (50-100 µs on this VM) still had a whole half of the product to do.
        int parts = parts(M, N, K);
        if ((long) mPadded * K <= SHARED_A && parts > 1) sharedA = packAll(a, aOffset, transA, M, K, PANELS.get().shared(mPadded * K));
        columns(parts, a, aOffset, transA, sharedA, b, bOffset, transB, bias, accumulate, c, cOffset, M, N, K);
    }

    /** Floats that {@link #packAll} writes for an op(A) of {@code M × K}. */
    static int packedSize(int M, int K) {
        return roundUp(M, MR) * K;
    }

    /**
     * All of op(A) packed into {@code dst} (at least {@link #packedSize} floats) as {@link #gemm} packs it for its
     * tasks, block (pc, ic) at {@code pc·roundUp(M, MR) + ic·kc}; returns dst. For {@link #gemmPackedA}: products that
     * share one A, such as a convolution's weight against each image of a batch, pack it once. The {@code MC × kc}
     * blocks of an op(A) of at least {@link VectorKernels#ELEMENTWISE_PARALLEL} floats are spread over
     * {@link Threads} (each block's floats land in the same places on any thread): packed on the calling thread alone,
     * with the scalar transposes, the seed MLP's 256 × 784 batch took 104-110 µs in cache and 193-221 µs from memory,
     * before a two-thread product of 700-1,000 µs could start.
     */
    static float[] packAll(float[] a, int aOffset, boolean transA, int M, int K, float[] dst) {
        int mPadded = roundUp(M, MR), kcMax = kBlock(K), mBlocks = (M + MC - 1) / MC, blocks = mBlocks * ((K + kcMax - 1) / kcMax);
        IntConsumer packBlock = block -> {
            int pc = block / mBlocks * kcMax, ic = block % mBlocks * MC, kc = Math.min(kcMax, K - pc);
            packA(a, aOffset, transA, M, K, ic, Math.min(MC, M - ic), pc, kc, dst, pc * mPadded + ic * kc);
        };
        if ((long) M * K < VectorKernels.ELEMENTWISE_PARALLEL) {
            for (int block = 0; block < blocks; block++) packBlock.accept(block);
        } else {
            Threads.forEach(blocks, packBlock);
        }
        return dst;
    }

    /** {@code C = op(A)·op(B)} through the packed path with op(A) already packed by {@link #packAll} (M ≥ 1, N ≥ 1, K ≥ 1). */
    static void gemmPackedA(float[] packedA, float[] b, int bOffset, boolean transB, float[] c, int cOffset, int M, int N, int K) {
        columns(parts(M, N, K), null, 0, false, packedA, b, bOffset, transB, null, false, c, cOffset, M, N, K);
    }

    /** Column panels of C worth a thread each, at most the threads available. */
    private static int parts(int M, int N, int K) {
        int panels = (N + NR - 1) / NR;
        return (int) Math.min(Math.min(Threads.available(), panels), Math.max(1, (long) M * N * K / VectorKernels.PARALLEL_WORK));
    }

    /**
     * The packed GEMM over all of C's columns: on this thread when {@code parts} ({@link #parts}) is 1, else in column
     * ranges over the threads, several tasks per thread when op(A) is packed ({@code packedA}) and the tasks only pack
     * B. Threads take whole column panels of C: each element is still summed over k in the same order, so the result
     * does not depend on the thread count.
     */
    private static void columns(int parts, float[] a, int aOffset, boolean transA, float[] packedA, float[] b, int bOffset, boolean transB,
                                float[] bias, boolean accumulate, float[] c, int cOffset, int M, int N, int K) {
        int panels = (N + NR - 1) / NR;
        if (parts <= 1) {
            gemmColumns(a, aOffset, transA, b, bOffset, transB, bias, accumulate, c, cOffset, M, N, K, 0, N, packedA);
            return;
        }
        int n = packedA == null ? parts : Math.min(panels, parts * Threads.TASKS_PER_THREAD);
        Threads.forEach(n, part -> {
            int from = panels * part / n * NR, to = Math.min(N, panels * (part + 1) / n * NR);
            gemmColumns(a, aOffset, transA, b, bOffset, transB, bias, accumulate, c, cOffset, M, N, K, from, to, packedA);
        });
    }

    /**
     * C[:, n0..n1) (+)= op(A) · op(B)[:, n0..n1), blocked and packed; C is {@code [M, N]} with row stride N. The first
     * KC block stores (plus the bias) unless {@code accumulate}; later blocks add.
     */
    private static void gemmColumns(float[] a, int aOffset, boolean transA, float[] b, int bOffset, boolean transB,
                                    float[] bias, boolean accumulate, float[] c, int cOffset, int M, int N, int K, int n0, int n1,
                                    float[] sharedA) {
        int kcMax = kBlock(K), ncMax = Math.min(n1 - n0, NC), mcMax = Math.min(M, MC), mPadded = roundUp(M, MR);
        Panels buffers = PANELS.get();
        float[] packedB = buffers.b(kcMax * roundUp(ncMax, NR));  // [nc/NR panels][kc][NR]
        // [mc/MR panels][kc][MR], or all of op(A) packed by the caller: block (pc, ic) at pc·mPadded + ic·kc
        float[] packedA = sharedA != null ? sharedA : buffers.a(kcMax * roundUp(mcMax, MR));
        float[] tile = buffers.tile;                              // [MR][NR], the micro-kernel's edge tiles
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < K; pc += kcMax) {
                int kc = Math.min(kcMax, K - pc);
                boolean store = pc == 0 && !accumulate;
                packB(b, bOffset, transB, N, K, pc, kc, jc, nc, packedB, 0);
                for (int ic = 0; ic < M; ic += MC) {
                    int mc = Math.min(MC, M - ic);
                    int aBlock = sharedA != null ? pc * mPadded + ic * kc : 0;
                    if (sharedA == null) packA(a, aOffset, transA, M, K, ic, mc, pc, kc, packedA, 0);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            microKernel(packedA, aBlock + ir * kc, packedB, jr * kc, kc, c, cOffset + (ic + ir) * N + jc + jr, N, mr, nr,
                                    tile, store, bias, jc + jr);
                        }
                    }
                }
            }
        }
    }

    /**
     * Each thread's packing buffers and edge tiles, kept between calls: at most {@code 1.5·KC·NC} and {@code 1.5·KC·MC} floats
     * (768 KiB and 144 KiB), which would otherwise be allocated and zeroed on every GEMM of a training step. Packing overwrites
     * (and zero-pads) every entry the micro-kernel reads, so stale contents never matter.
     */
    private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

    private static final class Panels {
        private float[] a = new float[0], b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }

        /** All of op(A), packed by the thread that forks a GEMM and read by every task of it. */
        private float[] shared = new float[0];

        float[] shared(int size) {
            if (shared.length < size) shared = new float[size];
            return shared;
        }
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * {@code C = A·Bᵀ (+ bias) (or C +=)} with A {@code [M,K]} and B {@code [N,K]} both stored k-contiguous, computed as
     * {@code Cᵀ = B·Aᵀ}: the micro-kernel broadcasts four rows of B straight from their storage, and only A is packed
     * (into {@code NR}-row panels, as B is for the packed path). The packed path would transpose all of B into panels
     * on every call, a linear layer's whole weight for a batch of 64 rows; here the weight is read as it lies. Each
     * tile comes out transposed ({@code 4} columns of C by {@code NR} rows) and goes through the thread's tile into C.
     * K runs in equal blocks of at most {@link #KC_NT}, so a seed-MLP layer (K = 784) writes each C entry once. Threads
     * take groups of four rows of B (columns of C), so every entry is summed in the same order for any thread count.
     */
    static void gemmNT(float[] a, int aOffset, float[] b, int bOffset, float[] bias, float[] c, int cOffset,
                       int M, int N, int K, boolean accumulate) {
        int groups = (N + 3) / 4;
        int parts = (int) Math.min(Math.min(Threads.available(), groups), Math.max(1, (long) M * N * K / VectorKernels.PARALLEL_WORK));
        int kBlocks = (K + KC_NT - 1) / KC_NT, kcMax = (K + kBlocks - 1) / kBlocks;
        int mcMax = Math.max(NR, PACKED_X_NT / kcMax / NR * NR), mBlocks = (M + mcMax - 1) / mcMax;
        mcMax = roundUp((M + mBlocks - 1) / mBlocks, NR);
        if (parts <= 1) {
            gemmNTColumns(a, aOffset, b, bOffset, bias, accumulate, c, cOffset, M, N, K, kcMax, mcMax, 0, N, null);
            return;
        }
        // As in gemm: the forking thread packs all of A once (at most 128 rows), and the tasks, several per thread,
        // only run the micro-kernel over their groups of B's rows. A helper that the pool wakes late then finds
        // fewer tasks left instead of a whole half of the product, and no thread packs A again.
        float[] shared = null;
        int tasks = parts;
        if ((long) roundUp(M, NR) * K <= SHARED_X_NT) {
            shared = PANELS.get().shared(roundUp(M, NR) * K);
            for (int ic = 0; ic < M; ic += mcMax) {
                int mc = Math.min(mcMax, M - ic);
                for (int pc = 0; pc < K; pc += kcMax) {
                    packB(a, aOffset, true, M, K, pc, Math.min(kcMax, K - pc), ic, mc, shared, sharedBlock(ic, pc, mc, K));
                }
            }
            tasks = Math.min(groups, parts * Threads.TASKS_PER_THREAD);
        }
        float[] packed = shared;
        int n = tasks, kc0 = kcMax, mc0 = mcMax;
        Threads.forEach(n, part -> {
            int from = groups * part / n * 4, to = Math.min(N, groups * (part + 1) / n * 4);
            gemmNTColumns(a, aOffset, b, bOffset, bias, accumulate, c, cOffset, M, N, K, kc0, mc0, from, to, packed);
        });
    }

    /** Where block (ic, pc) of A, {@code mc} rows, starts in gemmNT's shared packing: row block by row block, k blocks within. */
    private static int sharedBlock(int ic, int pc, int mc, int K) {
        return ic * K + pc * roundUp(mc, NR);
    }

    /**
     * C[:, n0..n1) of {@link #gemmNT}: for each block of A's rows and of k, A packed (or read from {@code shared}, all of
     * A packed by the caller), then four rows of B at a time.
     */
    private static void gemmNTColumns(float[] a, int aOffset, float[] b, int bOffset, float[] bias, boolean accumulate,
                                      float[] c, int cOffset, int M, int N, int K, int kcMax, int mcMax, int n0, int n1,
                                      float[] shared) {
        Panels buffers = PANELS.get();
        float[] packed = shared != null ? shared : buffers.b(kcMax * mcMax);   // [mc/NR panels][kc][NR], rows of A across each panel
        float[] tile = buffers.tile;                 // [4][NR]: row i of B against NR rows of A
        for (int ic = 0; ic < M; ic += mcMax) {
            int mc = Math.min(mcMax, M - ic);
            for (int pc = 0; pc < K; pc += kcMax) {
                int kc = Math.min(kcMax, K - pc);
                boolean store = pc == 0 && !accumulate;
                int block = shared != null ? sharedBlock(ic, pc, mc, K) : 0;
                if (shared == null) packB(a, aOffset, true, M, K, pc, kc, ic, mc, packed, 0);
                for (int jr = n0; jr < n1; jr += 4) {
                    int nr = Math.min(4, n1 - jr);
                    for (int ir = 0; ir < mc; ir += NR) {
                        microKernelNT(b, bOffset + jr * K + pc, K, nr, packed, block + ir * kc, kc, tile);
                        putTransposed(tile, c, cOffset + (ic + ir) * N + jr, N, nr, Math.min(NR, mc - ir), store, bias, jr);
                    }
                }
            }
        }
    }

    /**
     * Four rows of B ({@code nr} real ones; the others repeat the last real one and are not stored) against one packed panel of
     * {@code NR} rows of A, over {@code kc}: eight accumulators, as {@link #microKernel4}, with B's values broadcast
     * from its own rows. The tile is always spilled; {@link #putTransposed} stores it.
     */
    private static void microKernelNT(float[] w, int w0, int ldw, int nr, float[] pa, int pA, int kc, float[] tile) {
        // min, not a branch: C2 compiles a branch that one shape never takes as a trap, and the recompiled kernel after
        // the first ragged shape ran 1.3-1.5x slower on every shape
        int r0 = w0, r1 = w0 + Math.min(nr - 1, 1) * ldw, r2 = w0 + Math.min(nr - 1, 2) * ldw, r3 = w0 + Math.min(nr - 1, 3) * ldw;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int k = 0; k < kc; k++, pA += NR) {
            FloatVector a0 = FloatVector.fromArray(S, pa, pA), a1 = FloatVector.fromArray(S, pa, pA + L);
            FloatVector wv = FloatVector.broadcast(S, w[r0 + k]);
            c00 = wv.fma(a0, c00);
            c01 = wv.fma(a1, c01);
            wv = FloatVector.broadcast(S, w[r1 + k]);
            c10 = wv.fma(a0, c10);
            c11 = wv.fma(a1, c11);
            wv = FloatVector.broadcast(S, w[r2 + k]);
            c20 = wv.fma(a0, c20);
            c21 = wv.fma(a1, c21);
            wv = FloatVector.broadcast(S, w[r3 + k]);
            c30 = wv.fma(a0, c30);
            c31 = wv.fma(a1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /**
     * {@code C[j, i] = tile[i·NR + j]} for {@code i < nr} columns and {@code j < mr} rows of C at {@code cAt}: added to
     * C, or stored plus the bias, as {@link #addRow} does.
     */
    private static void putTransposed(float[] tile, float[] c, int cAt, int ldc, int nr, int mr, boolean store, float[] bias, int n) {
        for (int j = 0, p = cAt; j < mr; j++, p += ldc) {
            for (int i = 0; i < nr; i++) {
                c[p + i] = tileEntry(c[p + i], tile[i * NR + j], store, bias, n + i);
            }
        }
    }

    /** Packs op(B)[pc..pc+kc, jc..jc+nc] as panels {@code dst[d0 + (j/NR)·kc·NR + k·NR + j%NR]}, zero-padded. */
    private static void packB(float[] b, int bOffset, boolean transB, int N, int K, int pc, int kc, int jc, int nc, float[] dst, int d0) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), panel = d0 + jr * kc;
            if (!transB) {
                // B is [K,N]: each k contributes nr contiguous floats; a whole panel row as two vectors, since
                // System.arraycopy's per-call checks cost about as much as copying sixteen floats
                if (nr == NR) {
                    for (int k = 0, src = bOffset + pc * N + jc + jr, d = panel; k < kc; k++, src += N, d += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(dst, d);
                        FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                    }
                } else {
                    for (int k = 0; k < kc; k++) {
                        int src = bOffset + (pc + k) * N + jc + jr, d = panel + k * NR;
                        System.arraycopy(b, src, dst, d, nr);
                        Arrays.fill(dst, d + nr, d + NR, 0f);
                    }
                }
            } else {
                // B is [N,K]: column j of op(B) is row j of B, contiguous in k
                if (nr < NR) Arrays.fill(dst, panel, panel + kc * NR, 0f);
                Transposes.transposeInto(b, bOffset + (jc + jr) * K + pc, K, nr, kc, dst, panel, NR);
            }
        }
    }

    /** Packs op(A)[ic..ic+mc, pc..pc+kc] as panels {@code dst[d0 + (i/MR)·kc·MR + k·MR + i%MR]}, zero-padded. */
    private static void packA(float[] a, int aOffset, boolean transA, int M, int K, int ic, int mc, int pc, int kc, float[] dst, int d0) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir), panel = d0 + ir * kc;
            if (mr < MR) Arrays.fill(dst, panel, panel + kc * MR, 0f);
            if (!transA) {
                // A is [M,K]: row i of op(A) is contiguous in k
                Transposes.transposeInto(a, aOffset + (ic + ir) * K + pc, K, mr, kc, dst, panel, MR);
            } else {
                // A is [K,M]: each k contributes mr contiguous floats, copied in a loop: a System.arraycopy call
                // per four floats took 4 % of a training step's JFR samples (the weight gradient's gᵀ)
                for (int k = 0, src = aOffset + pc * M + ic + ir, d = panel; k < kc; k++, src += M, d += MR) {
                    for (int i = 0; i < mr; i++) dst[d + i] = a[src + i];
                }
            }
        }
    }

    /**
     * {@code C[0..mr, 0..nr) += Apanel · Bpanel} over {@code kc}, with the register tile of {@link #MR} rows; when
     * {@code store}, {@code C = Apanel · Bpanel (+ bias[n..n+nr))} instead, C's old contents unread.
     */
    private static void microKernel(float[] pa, int pA, float[] pb, int pB, int kc, float[] c, int cRow, int ldc, int mr, int nr,
                                    float[] tile, boolean store, float[] bias, int n) {
        if (MR == 12) microKernel12(pa, pA, pb, pB, kc, c, cRow, ldc, mr, nr, tile, store, bias, n);
        else microKernel4(pa, pA, pb, pB, kc, c, cRow, ldc, mr, nr, tile, store, bias, n);
    }

    /**
     * {@link #microKernel} for {@code MR = 12}: 24 accumulators (twelve rows × two vectors) stay in registers; each
     * step loads two vectors of B, broadcasts twelve values of A, and issues 24 FMAs. Written out row by row: C2
     * keeps named vectors in registers, not arrays of them.
     */
    private static void microKernel12(float[] pa, int pA, float[] pb, int pB, int kc, float[] c, int cRow, int ldc, int mr, int nr,
                                      float[] tile, boolean store, float[] bias, int n) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00, c80 = c00, c81 = c00, c90 = c00, c91 = c00, ca0 = c00, ca1 = c00, cb0 = c00, cb1 = c00;
        for (int k = 0; k < kc; k++, pA += MR, pB += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, pB), b1 = FloatVector.fromArray(S, pb, pB + L);
            FloatVector av = FloatVector.broadcast(S, pa[pA]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[pA + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[pA + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[pA + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, pa[pA + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, pa[pA + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, pa[pA + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, pa[pA + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(S, pa[pA + 8]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(S, pa[pA + 9]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(S, pa[pA + 10]);
            ca0 = av.fma(b0, ca0);
            ca1 = av.fma(b1, ca1);
            av = FloatVector.broadcast(S, pa[pA + 11]);
            cb0 = av.fma(b0, cb0);
            cb1 = av.fma(b1, cb1);
        }
        // All 24 accumulators go through the thread's scratch tile, then into C row by row (putTile): with twelve rows
        // written out here as well, C2 compiled this method without intrinsifying its vectors (boxed, about 8 GFLOP/s).
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c80.intoArray(tile, 8 * NR);
        c81.intoArray(tile, 8 * NR + L);
        c90.intoArray(tile, 9 * NR);
        c91.intoArray(tile, 9 * NR + L);
        ca0.intoArray(tile, 10 * NR);
        ca1.intoArray(tile, 10 * NR + L);
        cb0.intoArray(tile, 11 * NR);
        cb1.intoArray(tile, 11 * NR + L);
        putTile(tile, c, cRow, ldc, mr, nr, store, bias, n);
    }

    /** {@link #microKernel} for {@code MR = 4} (256-bit vectors): eight accumulators, eight FMAs per step. */
    private static void microKernel4(float[] pa, int pA, float[] pb, int pB, int kc, float[] c, int cRow, int ldc, int mr, int nr,
                                     float[] tile, boolean store, float[] bias, int n) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int k = 0; k < kc; k++, pA += 4, pB += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, pB), b1 = FloatVector.fromArray(S, pb, pB + L);
            FloatVector av = FloatVector.broadcast(S, pa[pA]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[pA + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[pA + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[pA + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        if (nr == NR) {
            float[] src = !store ? c : bias != null ? bias : ZEROS;
            int q = bias != null ? n : 0;
            addRow(c, cRow, src, store ? q : cRow, c00, c01);
            if (mr > 1) addRow(c, cRow + ldc, src, store ? q : cRow + ldc, c10, c11);
            if (mr > 2) addRow(c, cRow + 2 * ldc, src, store ? q : cRow + 2 * ldc, c20, c21);
            if (mr > 3) addRow(c, cRow + 3 * ldc, src, store ? q : cRow + 3 * ldc, c30, c31);
        } else {
            // edge tile through the scratch tile; whole tiles keep their inline rows: spilled through putTile as in
            // microKernel12, 256-bit vectors on a Xeon, one thread, ran 1024³ at 49 against 63-67 GFLOP/s and dW1-b64
            // at 44-46 against 62-63
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + L);
            putEdge(tile, c, cRow, ldc, mr, nr, store, bias, n);
        }
    }

    /**
     * One full row of a register tile into C at {@code p}, plus {@code src[q..q+NR)}: C's own row to add to it, or the
     * bias or {@link #ZEROS} to store it. Kept this small so that C2 inlines it: a version that branched here was
     * left out of line, and then the micro-kernel's vectors were boxed (a training epoch went from 6 to 16 s).
     */
    private static void addRow(float[] c, int p, float[] src, int q, FloatVector v0, FloatVector v1) {
        v0.add(FloatVector.fromArray(S, src, q)).intoArray(c, p);
        v1.add(FloatVector.fromArray(S, src, q + L)).intoArray(c, p + L);
    }

    /** What a stored tile row adds when there is no bias: +0, which leaves every sum's bits as they are. */
    private static final float[] ZEROS = new float[NR];

    /** A spilled tile of {@code mr} rows into C: whole rows of {@code NR} as {@link #addRow}, edge tiles by {@link #putEdge}. */
    private static void putTile(float[] tile, float[] c, int cRow, int ldc, int mr, int nr, boolean store, float[] bias, int n) {
        if (nr != NR) {
            putEdge(tile, c, cRow, ldc, mr, nr, store, bias, n);
            return;
        }
        float[] src = !store ? c : bias != null ? bias : ZEROS;
        int q = bias != null ? n : 0;
        for (int i = 0, p = cRow; i < mr; i++, p += ldc) {
            addRow(c, p, src, store ? q : p, FloatVector.fromArray(S, tile, i * NR), FloatVector.fromArray(S, tile, i * NR + L));
        }
    }

    /** An edge tile, spilled to {@code tile}, into C as {@link #addRow} does a full row (added to C, or stored plus the bias). */
    private static void putEdge(float[] tile, float[] c, int cRow, int ldc, int mr, int nr, boolean store, float[] bias, int n) {
        for (int i = 0; i < mr; i++) {
            for (int j = 0, p = cRow + i * ldc; j < nr; j++, p++) {
                c[p] = tileEntry(c[p], tile[i * NR + j], store, bias, n + j);
            }
        }
    }

    /**
     * One spilled tile entry {@code t} as C's new value at column {@code n}: added to C's {@code old} value, or stored
     * plus the bias or +0, the same additions {@link #addRow} makes for a full row (so −0 is stored as +0 there too).
     */
    private static float tileEntry(float old, float t, boolean store, float[] bias, int n) {
        return !store ? old + t : t + (bias == null ? 0f : bias[n]);
    }
}
