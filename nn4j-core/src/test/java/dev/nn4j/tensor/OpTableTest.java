package dev.nn4j.tensor;

import dev.nn4j.Golden;
import dev.nn4j.autograd.GradCheck;
import dev.nn4j.backend.Backend;
import dev.nn4j.backend.Kernels;
import dev.nn4j.backend.Window2d;
import dev.nn4j.backend.ScalarKernels;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.loss.Reduction;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The op table (PyTorch's OpInfo): one line per op, each fanned out to forward values against PyTorch
 * (golden/ops/&lt;name&gt;.json from tools/goldens/ops.py, which holds the seeded inputs), input gradients of
 * {@code out.backward(gout)} against PyTorch's, a {@link GradCheck} by central differences, the same op on
 * non-contiguous inputs (transposed, strided, offset and stride-0 views of the same values) and, when a fast
 * backend is loaded, agreement of the scalar reference kernels with it.
 * Adding an op: one {@code op(...)} line in ops.py, one line here with the same name.
 */
class OpTableTest {
    private static final double FWD_ATOL = 1e-5, FWD_RTOL = 1e-4, GRAD_ATOL = 1e-4, GRAD_RTOL = 1e-3;

    private record Entry(String name, Function<Tensor[], Tensor> fn, Set<String> skippedLayouts) {
        /** Leaves out input layouts for which the op must fail (each use says why). */
        Entry except(String... layouts) {
            return new Entry(name, fn, Set.of(layouts));
        }
    }

    private static Entry op(String name, Function<Tensor[], Tensor> fn) {
        return new Entry(name, fn, Set.of());
    }

    /** F.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)) over [*, 2, 4, 5]. */
    private static final Window2d UNFOLD_WINDOW = Window2d.of("unfold", 2, 4, 5, 2, 3, 2, 1, 1, 1, 1, 1, 1, 2);

    /** The class indices of the cross-entropy entries (tools/goldens/ops_cross_entropy.py holds the same). */
    private static final Tensor CE_TARGETS = Tensor.of(3, 0, 16, 2, 7, 2);

    private static final List<Entry> OPS = List.of(
            // element-wise, binary (tensor and scalar, broadcasting)
            op("add", x -> x[0].add(x[1])),
            op("add_broadcast_row", x -> x[0].add(x[1])),
            op("add_broadcast_both", x -> x[0].add(x[1])),
            op("add_rank0", x -> x[0].add(x[1])),
            op("add_scalar", x -> x[0].add(2.5f)),
            op("add_expanded_view", x -> x[0].expand(3, 4).add(x[1])),
            op("sub", x -> x[0].sub(x[1])),
            op("sub_broadcast", x -> x[0].sub(x[1])),
            op("sub_scalar", x -> x[0].sub(1.5f)),
            op("rsub_scalar", x -> x[0].rsub(1.5f)),
            op("mul", x -> x[0].mul(x[1])),
            op("mul_broadcast", x -> x[0].mul(x[1])),
            op("mul_scalar", x -> x[0].mul(-3f)),
            op("div", x -> x[0].div(x[1])),
            op("div_broadcast", x -> x[0].div(x[1])),
            op("div_scalar", x -> x[0].div(4f)),
            op("pow_tensor", x -> x[0].pow(x[1])),
            op("pow_broadcast", x -> x[0].pow(x[1])),
            op("pow_scalar_3", x -> x[0].pow(3f)),
            op("pow_scalar_2", x -> x[0].pow(2f)),
            op("pow_scalar_half", x -> x[0].pow(0.5f)),
            op("pow_scalar_neg", x -> x[0].pow(-1.5f)),
            op("maximum", x -> x[0].maximum(x[1])),
            op("maximum_broadcast", x -> x[0].maximum(x[1])),
            op("minimum", x -> x[0].minimum(x[1])),
            // element-wise, unary
            op("neg", x -> x[0].neg()),
            op("abs", x -> x[0].abs()),
            op("sign", x -> x[0].sign()),
            op("exp", x -> x[0].exp()),
            op("log", x -> x[0].log()),
            op("sqrt", x -> x[0].sqrt()),
            op("rsqrt", x -> x[0].rsqrt()),
            op("reciprocal", x -> x[0].reciprocal()),
            op("sin", x -> x[0].sin()),
            op("cos", x -> x[0].cos()),
            op("tanh", x -> x[0].tanh()),
            op("sigmoid", x -> x[0].sigmoid()),
            op("relu", x -> x[0].relu()),
            op("leaky_relu", x -> x[0].leakyRelu(0.1f)),
            op("elu", x -> x[0].elu(1f)),
            op("elu_alpha", x -> x[0].elu(0.5f)),
            op("gelu", x -> x[0].gelu()),
            op("gelu_tanh", x -> x[0].geluTanh()),
            op("silu", x -> x[0].silu()),
            op("erf", x -> x[0].erf()),
            op("clamp", x -> x[0].clamp(-0.5f, 0.5f)),
            op("exp_expanded_view", x -> x[0].expand(2, 3, 4).exp()),
            // comparisons (forward only) and where
            op("eq", x -> x[0].eq(x[1])),
            op("ne", x -> x[0].ne(x[1])),
            op("lt", x -> x[0].lt(x[1])),
            op("le", x -> x[0].le(x[1])),
            op("gt", x -> x[0].gt(x[1])),
            op("ge", x -> x[0].ge(x[1])),
            op("gt_scalar", x -> x[0].gt(0f)),
            op("eq_scalar", x -> x[0].eq(1f)),
            op("ne_scalar", x -> x[0].ne(0f)),
            op("lt_scalar", x -> x[0].lt(1f)),
            op("le_scalar", x -> x[0].le(-1f)),
            op("ge_scalar", x -> x[0].ge(2f)),
            op("where", x -> Tensor.where(x[0], x[1], x[2])),
            op("where_broadcast", x -> Tensor.where(x[0], x[1], x[2])),
            // reductions
            op("sum_all", x -> x[0].sum()),
            op("sum_dim0", x -> x[0].sum(0)),
            op("sum_dim_keepdim", x -> x[0].sum(-1, true)),
            op("sum_dims_nonadjacent", x -> x[0].sum(new int[] {0, 2}, true)),
            op("sum_dims_adjacent", x -> x[0].sum(new int[] {1, 2}, false)),
            op("mean_all", x -> x[0].mean()),
            op("mean_dim", x -> x[0].mean(1)),
            op("mean_dim_keepdim", x -> x[0].mean(0, true)),
            op("mean_dims", x -> x[0].mean(new int[] {0, 2}, false)),
            op("max_all", x -> x[0].max()),
            op("max_dim", x -> x[0].max(1)),
            op("max_dim_keepdim", x -> x[0].max(0, true)),
            op("max_dims", x -> x[0].max(new int[] {0, 2}, false)),
            op("min_all", x -> x[0].min()),
            op("min_dim_keepdim", x -> x[0].min(-1, true)),
            op("var_all", x -> x[0].var()),
            op("var_dim_keepdim", x -> x[0].var(1, true)),
            op("var_dims_biased", x -> x[0].var(new int[] {0, 2}, false, false)),
            op("std_all", x -> x[0].std()),
            op("std_dim", x -> x[0].std(0, false)),
            op("std_dims_biased_keepdim", x -> x[0].std(new int[] {1, 2}, false, true)),
            op("argmax_all", x -> x[0].argmax()),
            op("argmax_dim", x -> x[0].argmax(1, false)),
            op("argmax_dim_keepdim", x -> x[0].argmax(0, true)),
            op("argmin_all", x -> x[0].argmin()),
            op("argmin_dim", x -> x[0].argmin(-1, false)),
            op("logsumexp", x -> x[0].logSumExp(1, false)),
            op("logsumexp_keepdim", x -> x[0].logSumExp(0, true)),
            op("softmax_last", x -> x[0].softmax(-1)),
            op("softmax_dim0", x -> x[0].softmax(0)),
            op("softmax_middle", x -> x[0].softmax(1)),
            op("log_softmax_last", x -> x[0].logSoftmax(-1)),
            op("log_softmax_middle", x -> x[0].logSoftmax(1)),
            op("softmax_rank0", x -> x[0].softmax(0)),
            op("log_softmax_rank0", x -> x[0].logSoftmax(0)),
            // matmul
            op("matmul_dot", x -> x[0].matmul(x[1])),
            op("matmul_vec_mat", x -> x[0].matmul(x[1])),
            op("matmul_mat_vec", x -> x[0].matmul(x[1])),
            op("matmul_2d", x -> x[0].matmul(x[1])),
            op("matmul_batched", x -> x[0].matmul(x[1])),
            op("matmul_batched_by_2d", x -> x[0].matmul(x[1])),
            op("matmul_2d_by_batched", x -> x[0].matmul(x[1])),
            op("matmul_batch_broadcast", x -> x[0].matmul(x[1])),
            op("matmul_vec_batched", x -> x[0].matmul(x[1])),
            op("matmul_batched_vec", x -> x[0].matmul(x[1])),
            op("matmul_transposed_a", x -> x[0].t().matmul(x[1])),
            op("matmul_transposed_b", x -> x[0].matmul(x[1].t())),
            op("matmul_transposed_both", x -> x[0].mT().matmul(x[1].mT())),
            op("matmul_expanded_batch", x -> x[0].expand(2, 3, 4).matmul(x[1])),
            op("linear", x -> x[0].linear(x[1], x[2])),
            op("linear_no_bias", x -> x[0].linear(x[1], null)),
            op("linear_relu", x -> x[0].linear(x[1], x[2], true)),
            // views and shape changes
            op("reshape", x -> x[0].reshape(4, 3)),
            op("reshape_infer", x -> x[0].reshape(-1, 2)),
            op("reshape_of_transposed", x -> x[0].t().reshape(-1)),
            op("view", x -> x[0].view(2, 2, 3)).except("transposed"), // must fail there, as in PyTorch: ShapeErrorTest
            op("permute", x -> x[0].permute(2, 0, 1)),
            op("transpose", x -> x[0].transpose(0, 2)),
            op("t", x -> x[0].t()),
            op("mT", x -> x[0].mT()),
            op("squeeze_all", x -> x[0].squeeze()),
            op("squeeze_dim", x -> x[0].squeeze(2)),
            op("unsqueeze", x -> x[0].unsqueeze(1)),
            op("unsqueeze_last", x -> x[0].unsqueeze(-1)),
            op("narrow", x -> x[0].narrow(1, 1, 2)),
            op("slice_step", x -> x[0].slice(1, 0, 5, 2)),
            op("slice_negative", x -> x[0].slice(0, -3, -1, 1)),
            op("select", x -> x[0].select(1, 2)),
            op("select_negative", x -> x[0].select(0, -1)),
            op("expand", x -> x[0].expand(2, 3, 4)),
            op("expand_keep", x -> x[0].expand(3, -1)),
            op("flatten", x -> x[0].flatten()),
            op("flatten_range", x -> x[0].flatten(1, 2)),
            op("contiguous_of_transposed", x -> x[0].t().contiguous()),
            op("copy", x -> x[0].copy()),
            op("expand_as", x -> x[0].expandAs(x[1])),
            op("sum_to", x -> x[0].sumTo(new int[] {3, 1})),
            // joining and splitting
            op("cat_dim0", x -> Tensor.cat(0, x[0], x[1])),
            op("cat_dim1", x -> Tensor.cat(1, x[0], x[1], x[2])),
            op("stack_dim0", x -> Tensor.stack(List.of(x[0], x[1]), 0)),
            op("stack_last", x -> Tensor.stack(List.of(x[0], x[1], x[2]), -1)),
            op("split_reversed", x -> Tensor.cat(x[0].split(2, 1).reversed(), 1)),
            op("split_piece", x -> x[0].split(2, 0).get(1)),
            op("chunk_reversed", x -> Tensor.cat(x[0].chunk(3, 0).reversed(), 0)),
            op("chunk_last", x -> x[0].chunk(3, 1).get(2)),
            // indexing
            op("gather_dim1", x -> x[0].gather(1, x[1])),
            op("gather_dim0", x -> x[0].gather(0, x[1])),
            op("index_select", x -> x[0].indexSelect(0, x[1])),
            op("index_select_dim1", x -> x[0].indexSelect(1, x[1])),
            op("scatter_add", x -> x[0].scatterAdd(1, x[1], x[2])),
            op("scatter_add_dim0", x -> x[0].scatterAdd(0, x[1], x[2])),
            op("index_add", x -> x[0].indexAdd(0, x[1], x[2])),
            op("index_add_dim1", x -> x[0].indexAdd(1, x[1], x[2])),
            // sliding windows (golden/ops from tools/goldens/layers_conv.py)
            op("unfold2d", x -> Patches.unfold(x[0], UNFOLD_WINDOW, 0f)),
            op("unfold2d_1x1", x -> Patches.unfold(x[0], Window2d.of("unfold", 3, 2, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1), 0f)),
            op("fold2d", x -> Patches.fold(x[0], UNFOLD_WINDOW)),
            // fused convolution (golden/ops from tools/goldens/ops_convperf.py)
            op("conv2d_fused", x -> Convolution.conv2d(x[0], x[1], x[2], Window2d.of("conv2d", 2, 5, 4, 3, 2, 2, 1, 1, 1, 0, 0, 1, 2))),
            op("maxpool2d_fused", x -> Pooling.maxPool2d(x[0], Window2d.of("maxPool2d", 1, 5, 6, 3, 2, 2, 1, 1, 1, 0, 0, 1, 2))),
            // fused LSTM cell (golden/ops from tools/goldens/ops_recurrent.py)
            op("lstm_cell_fused", x -> Recurrent.lstmCell(x[0], x[1])),
            // fused softmax + cross-entropy (golden/ops from tools/goldens/ops_cross_entropy.py)
            op("cross_entropy_fused", x -> new CrossEntropyLoss().forward(x[0], CE_TARGETS)),
            op("cross_entropy_fused_sum", x -> new CrossEntropyLoss().withReduction(Reduction.SUM).forward(x[0], CE_TARGETS)),
            op("cross_entropy_fused_ignore", x -> new CrossEntropyLoss().withIgnoreIndex(2).forward(x[0], CE_TARGETS)),
            op("conv2d_fused_no_bias", x -> Convolution.conv2d(x[0], x[1], null, Window2d.of("conv2d", 2, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1))),
            op("conv2d_fused_relu", x -> Convolution.conv2d(x[0], x[1], x[2], Window2d.of("conv2d", 2, 5, 4, 3, 2, 2, 1, 1, 1, 0, 0, 1, 2), true)),
            op("conv2d_fused_relu_maxpool", x -> Convolution.conv2d(x[0], x[1], x[2], Window2d.of("conv2d", 3, 7, 8, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1), true,
                    Window2d.of("maxPool2d", 1, 5, 6, 2, 2, 2, 1, 0, 0, 0, 0, 1, 1))),
            // edge shapes: rank 0, size 0, size-1 matrices
            op("exp_rank0", x -> x[0].exp()),
            op("sum_rank0", x -> x[0].sum()),
            op("max_rank0", x -> x[0].max()),
            op("mean_rank0_dim", x -> x[0].mean(0)),
            op("expand_rank0", x -> x[0].expand(2, 3)),
            op("where_rank0_cond", x -> Tensor.where(x[0], x[1], x[2])),
            op("sum_empty_dim", x -> x[0].sum(0)),
            op("mul_empty", x -> x[0].mul(x[1])),
            op("cat_with_empty", x -> Tensor.cat(0, x[0], x[1])),
            op("matmul_outer", x -> x[0].unsqueeze(1).matmul(x[1].unsqueeze(0))),
            op("matmul_row_by_col", x -> x[0].unsqueeze(0).matmul(x[1].unsqueeze(1))),
            op("matmul_empty_inner", x -> x[0].matmul(x[1])));

    /** Non-contiguous layouts of the same values; null where a layout does not apply to that input. */
    private static final Map<String, UnaryOperator<Tensor>> LAYOUTS = new LinkedHashMap<>();

    static {
        LAYOUTS.put("transposed", OpTableTest::transposed);
        LAYOUTS.put("strided", OpTableTest::strided);
        LAYOUTS.put("offset", OpTableTest::offset);
        LAYOUTS.put("stride-0 unit dims", OpTableTest::zeroStrideUnitDims);
    }

    @TestFactory
    Stream<DynamicNode> opTable() {
        return OPS.stream().map(OpTableTest::fanOut);
    }

    private static DynamicContainer fanOut(Entry e) {
        Golden golden = Golden.load("ops/" + e.name);
        boolean differentiable = !diff(golden).isEmpty();
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(dynamicTest("forward matches PyTorch", () -> checkForward(e, golden)));
        if (differentiable) {
            tests.add(dynamicTest("input gradients match PyTorch", () -> checkGradients(e, golden, UnaryOperator.identity())));
            tests.add(dynamicTest("gradient check", () -> gradCheck(e, golden)));
        }
        Tensor[] plain = inputs(golden, false);
        for (var layout : LAYOUTS.entrySet()) {
            boolean applies = Arrays.stream(plain).anyMatch(t -> layout.getValue().apply(t) != null);
            if (!applies || e.skippedLayouts.contains(layout.getKey())) continue;
            UnaryOperator<Tensor> lay = t -> {
                Tensor v = layout.getValue().apply(t);
                return v == null ? t : v;
            };
            tests.add(dynamicTest(layout.getKey() + " inputs give the same values and gradients", () -> {
                Tensor[] x = inputs(golden, false);
                for (int i = 0; i < x.length; i++) x[i] = lay.apply(x[i]);
                Golden.assertClose(golden.tensor("out"), e.fn.apply(x), FWD_ATOL, FWD_RTOL, e.name + " (" + layout.getKey() + ")");
                if (differentiable) checkGradients(e, golden, lay);
            }));
        }
        if (Backend.vectorized()) {
            tests.add(dynamicTest("scalar kernels agree with " + Backend.kernels().getClass().getSimpleName(), () -> {
                Tensor fast = e.fn.apply(inputs(golden, false));
                Kernels active = Backend.kernels();
                Tensor reference;
                try {
                    Backend.use(new ScalarKernels());
                    reference = e.fn.apply(inputs(golden, false));
                } finally {
                    Backend.use(active);
                }
                Golden.assertClose(reference, fast, FWD_ATOL, FWD_RTOL, e.name + " (fast vs scalar)");
            }));
        }
        return dynamicContainer(e.name, tests.stream());
    }

    private static List<Integer> diff(Golden golden) {
        List<Integer> d = new ArrayList<>();
        golden.meta().path("diff").forEach(n -> d.add(n.asInt()));
        return d;
    }

    /** The recorded inputs in0, in1, …; differentiable ones are leaves with requiresGrad when {@code grad}. */
    private static Tensor[] inputs(Golden golden, boolean grad) {
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; golden.has("in" + i); i++) in.add(golden.tensor("in" + i));
        if (grad) for (int i : diff(golden)) in.get(i).requiresGrad(true);
        return in.toArray(Tensor[]::new);
    }

    private static void checkForward(Entry e, Golden golden) {
        Tensor[] x = inputs(golden, true);
        Tensor out = e.fn.apply(x);
        Golden.assertClose(golden.tensor("out"), out, FWD_ATOL, FWD_RTOL, e.name + " forward");
        assertEquals(!diff(golden).isEmpty(), out.requiresGrad(), e.name + ": output requiresGrad");
        for (int i = 0; i < x.length; i++) {
            Golden.assertClose(golden.tensor("in" + i), x[i], 0, 0, e.name + ": input " + i + " must not be modified");
        }
    }

    /** {@code out.backward(gout)} from inputs laid out by {@code layout} (made leaves after the layout is applied). */
    private static void checkGradients(Entry e, Golden golden, UnaryOperator<Tensor> layout) {
        Tensor[] x = inputs(golden, false);
        for (int i = 0; i < x.length; i++) x[i] = layout.apply(x[i]);
        for (int i : diff(golden)) x[i].requiresGrad(true);
        e.fn.apply(x).backward(golden.tensor("gout"));
        for (int i : diff(golden)) {
            assertNotNull(x[i].grad(), e.name + ": input " + i + " got no gradient");
            Golden.assertClose(golden.tensor("grad" + i), x[i].grad(), GRAD_ATOL, GRAD_RTOL, e.name + " gradient of input " + i);
        }
    }

    private static void gradCheck(Entry e, Golden golden) {
        Tensor[] x = inputs(golden, true);
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i : diff(golden)) named.put(e.name + ".in" + i, x[i]);
        GradCheck.defaults().assertClose(() -> e.fn.apply(x), named);
    }

    // ------------------------------------------------------------------ layouts

    /** The same values, stored transposed in the last two dims (rank ≥ 2). */
    private static Tensor transposed(Tensor x) {
        if (x.dim() < 2 || x.size(-1) < 2 || x.size(-2) < 2) return null;
        int[] s = x.shape();
        int r = s.length;
        int t = s[r - 1];
        s[r - 1] = s[r - 2];
        s[r - 2] = t;
        Tensor v = Tensor.fromArray(x.transpose(-2, -1).toFloatArray(), s).transpose(-2, -1);
        assertFalse(v.isContiguous(), "transposed layout must not be contiguous");
        return v;
    }

    /** The same values, every other element of a wider buffer starting at offset 1 (strides doubled). */
    private static Tensor strided(Tensor x) {
        if (x.dim() == 0 || x.numel() < 2) return null;
        int[] s = Arrays.copyOf(x.shape(), x.dim() + 1);
        s[x.dim()] = 2;
        Tensor v = Tensor.zeros(s).narrow(-1, 1, 1).squeeze(-1);
        v.copyFrom(x);
        assertFalse(v.isContiguous(), "strided layout must not be contiguous");
        return v;
    }

    /** The same values at a non-zero offset of a larger buffer (contiguous but not dense). */
    private static Tensor offset(Tensor x) {
        if (x.dim() == 0) return null;
        int[] s = x.shape();
        s[0] += 1;
        Tensor v = Tensor.zeros(s).narrow(0, 1, x.size(0));
        v.copyFrom(x);
        return v;
    }

    /** The same values with stride 0 on every dimension of size 1 (as left by expand and narrow). */
    private static Tensor zeroStrideUnitDims(Tensor x) {
        int[] s = x.shape();
        if (Arrays.stream(s).noneMatch(n -> n == 1)) return null;
        int[] wide = s.clone();
        for (int d = 0; d < s.length; d++) if (s[d] == 1) wide[d] = 2;
        Tensor v = Tensor.fromArray(x.toFloatArray(), s).expand(wide);
        for (int d = 0; d < s.length; d++) if (s[d] == 1) v = v.narrow(d, 0, 1);
        return v;
    }

    // ------------------------------------------------------------------ the table and the generator agree

    @Test
    void everyGoldenFileHasATableEntryAndViceVersa() throws URISyntaxException {
        File dir = new File(OpTableTest.class.getResource("/golden/ops").toURI());
        Set<String> files = Arrays.stream(dir.list()).filter(f -> f.endsWith(".json") && !f.equals("print.json"))
                .map(f -> f.substring(0, f.length() - ".json".length())).collect(Collectors.toCollection(TreeSet::new));
        Set<String> entries = OPS.stream().map(Entry::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(OPS.size(), entries.size(), "duplicate op names in the table");
        assertEquals(files, entries, "tools/goldens/ops.py and OpTableTest must list the same ops");
    }
}
