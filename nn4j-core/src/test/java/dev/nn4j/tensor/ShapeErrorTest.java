package dev.nn4j.tensor;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * The table of wrong shapes and arguments: each case asserts the exception type and that the message names
 * the op and every shape (or value) involved, so that a user can fix the call from the message alone.
 */
class ShapeErrorTest {
    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IndexOutOfBoundsException> IOOBE = IndexOutOfBoundsException.class;

    private static Arguments error(String name, Class<? extends RuntimeException> type, Executable call, String... fragments) {
        return argumentSet(name, type, call, List.of(fragments));
    }

    private static Tensor z(int... shape) {
        return Tensor.zeros(shape);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // broadcasting
                error("add broadcast failure", IAE, () -> z(2, 3).add(z(4)), "add", "[2, 3]", "[4]"),
                error("mul broadcast failure", IAE, () -> z(2, 3, 4).mul(z(3, 3)), "mul", "[2, 3, 4]", "[3, 3]"),
                error("comparison broadcast failure", IAE, () -> z(5).lt(z(2)), "lt", "[5]", "[2]"),
                error("where broadcast failure", IAE, () -> Tensor.where(z(2), z(3), z(3)), "where", "[2]", "[3]"),
                error("maximum broadcast failure", IAE, () -> z(2, 1).maximum(z(3, 4)), "maximum", "[2, 1]", "[3, 4]"),
                // matmul
                error("matmul inner mismatch", IAE, () -> z(2, 3).matmul(z(4, 5)), "matmul", "[2, 3]", "[4, 5]"),
                error("matmul vector mismatch", IAE, () -> z(3).matmul(z(4)), "matmul", "[3]", "[4]"),
                error("matmul matrix-vector mismatch", IAE, () -> z(2, 3).matmul(z(4)), "matmul", "[2, 3]", "[4]"),
                error("matmul batch broadcast failure", IAE, () -> z(2, 3, 4).matmul(z(3, 4, 5)), "matmul", "[2, 3, 4]", "[3, 4, 5]"),
                error("matmul of a scalar", IAE, () -> Tensor.scalar(1).matmul(z(3)), "matmul", "[]", "[3]"),
                // shape changes
                error("reshape to wrong size", IAE, () -> z(2, 3).reshape(4, 2), "reshape", "[4, 2]", "[2, 3]"),
                error("reshape with two -1", IAE, () -> z(2, 3).reshape(-1, -1), "reshape", "[-1, -1]", "[2, 3]"),
                error("reshape with a negative size", IAE, () -> z(2, 3).reshape(-2, -3), "reshape", "[-2, -3]", "[2, 3]"),
                error("view of a non-contiguous tensor", IAE, () -> z(2, 3).t().view(6), "view", "[6]", "[3, 2]"),
                error("expand to an incompatible size", IAE, () -> z(2, 3).expand(4, 3), "expand", "[2, 3]", "[4, 3]"),
                error("expand to fewer dims", IAE, () -> z(2, 3).expand(3), "expand", "[2, 3]", "[3]"),
                error("t() of rank 3", IAE, () -> z(2, 3, 4).t(), "t()", "[2, 3, 4]"),
                error("mT() of rank 1", IAE, () -> z(3).mT(), "mT()", "[3]"),
                error("flatten with start after end", IAE, () -> z(2, 3, 4).flatten(2, 0), "flatten", "[2, 3, 4]"),
                // joining
                error("cat size mismatch", IAE, () -> Tensor.cat(0, z(2, 3), z(2, 4)), "cat", "[2, 3]", "[2, 4]"),
                error("cat rank mismatch", IAE, () -> Tensor.cat(0, z(2, 3), z(3)), "cat", "[2, 3]", "[3]"),
                error("cat of scalars", IAE, () -> Tensor.cat(0, Tensor.scalar(1), Tensor.scalar(2)), "cat", "zero-dimensional"),
                error("stack shape mismatch", IAE, () -> Tensor.stack(List.of(z(2, 3), z(3, 2)), 0), "stack", "[2, 3]", "[3, 2]"),
                error("split size zero", IAE, () -> z(4).split(0, 0), "split", "0", "[4]"),
                error("chunk count zero", IAE, () -> z(4).chunk(0, 0), "chunk", "0", "[4]"),
                // dimensions out of range
                error("sum over a bad dim", IAE, () -> z(2, 3).sum(2), "sum", "2", "[2, 3]"),
                error("mean over a bad dim", IAE, () -> z(2, 3).mean(-3), "mean", "-3", "[2, 3]"),
                error("max over a bad dim", IAE, () -> z(2, 3).max(5), "max", "5", "[2, 3]"),
                error("min over a bad dim", IAE, () -> z(2, 3).min(5), "min", "5", "[2, 3]"),
                error("var over a bad dim", IAE, () -> z(2, 3).var(2, false), "var", "2", "[2, 3]"),
                error("std over a bad dim", IAE, () -> z(2, 3).std(2, false), "std", "2", "[2, 3]"),
                error("sum over a repeated dim", IAE, () -> z(2, 3).sum(new int[] {1, -1}, false), "sum", "[1, -1]", "[2, 3]"),
                error("argmax over a bad dim", IAE, () -> z(2, 3).argmax(2, false), "argmax", "2", "[2, 3]"),
                error("logSumExp over a bad dim", IAE, () -> z(2, 3).logSumExp(2, false), "logSumExp", "2", "[2, 3]"),
                error("softmax over a bad dim", IAE, () -> z(2, 3).softmax(-3), "softmax", "-3", "[2, 3]"),
                error("logSoftmax over a bad dim", IAE, () -> z(2, 3).logSoftmax(2), "logSoftmax", "2", "[2, 3]"),
                error("transpose of a bad dim", IAE, () -> z(2, 3).transpose(0, 5), "transpose", "5", "[2, 3]"),
                error("unsqueeze at a bad dim", IAE, () -> z(2, 3).unsqueeze(4), "unsqueeze", "4", "[2, 3]"),
                error("squeeze of a bad dim", IAE, () -> z(2, 3).squeeze(3), "squeeze", "3", "[2, 3]"),
                error("permute with too few dims", IAE, () -> z(2, 3, 4).permute(1, 0), "permute", "[1, 0]", "[2, 3, 4]"),
                error("permute with a repeated dim", IAE, () -> z(2, 3).permute(1, 1), "permute", "[1, 1]", "[2, 3]"),
                error("narrow out of range", IAE, () -> z(2, 3).narrow(1, 2, 2), "narrow", "[2, 3]"),
                error("select out of range", IOOBE, () -> z(2, 3).select(1, 3), "select", "3", "[2, 3]"),
                error("slice with step zero", IAE, () -> z(2, 3).slice(1, 0, 3, 0), "slice", "0", "[2, 3]"),
                error("size of a bad dim", IAE, () -> z(2, 3).size(2), "size", "2", "[2, 3]"),
                // indexing
                error("gather index out of range", IOOBE, () -> z(2, 3).gather(1, Tensor.fromArray(new float[] {0, 3, 1, 1}, 2, 2)), "gather", "3", "[2, 3]"),
                error("gather index shape mismatch", IAE, () -> z(2, 3).gather(1, z(3, 2)), "gather", "[3, 2]", "[2, 3]"),
                error("gather of a fractional index", IOOBE, () -> z(2, 3).gather(1, Tensor.full(0.5f, 2, 1)), "gather", "0.5", "[2, 3]"),
                error("indexSelect index out of range", IOOBE, () -> z(4, 3).indexSelect(0, Tensor.of(1, 4)), "indexSelect", "4", "[4, 3]"),
                error("indexSelect with a 2-D index", IAE, () -> z(4, 3).indexSelect(0, z(2, 2)), "indexSelect", "[2, 2]", "[4, 3]"),
                error("indexAdd source shape mismatch", IAE, () -> z(4, 3).indexAdd(0, Tensor.of(0, 1), z(2, 2)), "indexAdd", "[2, 2]", "[4, 3]"),
                error("scatterAdd source shape mismatch", IAE, () -> z(2, 3).scatterAdd(1, z(2, 2), z(2, 3)), "scatterAdd", "[2, 2]", "[2, 3]"),
                error("scatterAdd index out of range", IOOBE, () -> z(2, 3).scatterAdd(1, Tensor.full(-4f, 2, 1), z(2, 1)), "scatterAdd", "-4", "[2, 3]"),
                error("get with the wrong number of indices", IAE, () -> z(2, 3).get(1), "get", "[1]", "[2, 3]"),
                error("get out of range", IOOBE, () -> z(2, 3).get(0, 3), "get", "[0, 3]", "[2, 3]"),
                error("set out of range", IOOBE, () -> z(2, 3).set(1f, 2, 0), "set", "[2, 0]", "[2, 3]"),
                // creation and element access
                error("zeros with a negative size", IAE, () -> z(2, -1), "zeros", "[2, -1]"),
                error("ones with a negative size", IAE, () -> Tensor.ones(-1), "ones", "[-1]"),
                error("full with a negative size", IAE, () -> Tensor.full(1f, 3, -2), "full", "[3, -2]"),
                error("randn with a negative size", IAE, () -> Tensor.randn(new Generator(1), -3), "randn", "[-3]"),
                error("rand with a negative size", IAE, () -> Tensor.rand(new Generator(1), -3), "rand", "[-3]"),
                error("randint with an empty range", IAE, () -> Tensor.randint(3, 3, 2), "randint", "3"),
                error("randperm of a negative count", IAE, () -> Tensor.randperm(-1, new Generator(1)), "randperm", "-1"),
                error("fromArray with the wrong count", IAE, () -> Tensor.fromArray(new float[5], 2, 3), "fromArray", "5", "[2, 3]"),
                error("linspace with negative steps", IAE, () -> Tensor.linspace(0, 1, -1), "linspace", "-1"),
                error("arange with step zero", IAE, () -> Tensor.arange(0, 1, 0), "arange", "step"),
                error("eye of a negative size", IAE, () -> Tensor.eye(-2), "eye", "-2"),
                error("item on a non-scalar", IAE, () -> z(2).item(), "item()", "[2]"),
                error("copyFrom of a non-broadcastable source", IAE, () -> z(2, 2).copyFrom(z(3)), "copyFrom", "[3]", "[2, 2]"),
                error("setGrad of the wrong shape", IAE, () -> z(2, 2).setGrad(z(4)), "setGrad", "[4]", "[2, 2]"),
                error("clamp with min above max", IAE, () -> z(2).clamp(1, 0), "clamp", "1.0", "0.0"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void wrongShapesFailWithAMessageNamingTheOpAndShapes(Class<? extends RuntimeException> type, Executable call, List<String> fragments) {
        RuntimeException e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }
}
