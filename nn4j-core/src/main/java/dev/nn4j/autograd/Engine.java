package dev.nn4j.autograd;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation: orders the recorded graph topologically (iteratively, so deep graphs such as
 * long RNN unrolls do not overflow the stack), walks it backwards applying {@link Backward}, and accumulates
 * into the {@code grad} of leaf tensors. Unless asked to retain it, the graph is freed afterwards, and a
 * second backward through it fails loudly.
 */
public final class Engine {
    private Engine() {}

    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (root.isGraphFreed()) throw freed();
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward(): the tensor does not require grad and has no recorded graph; "
                    + "call requiresGrad(true) on an input or check that it was not computed inside NoGrad");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward(): a gradient can only be implied for a scalar output, but the output has shape "
                        + Shape.str(root.shape()) + "; pass backward(gradient) with that shape");
            }
            gradient = Tensor.ones(root.shape());
        } else if (!java.util.Arrays.equals(gradient.shape(), root.shape())) {
            throw new IllegalArgumentException("backward(): gradient shape " + Shape.str(gradient.shape())
                    + " does not match output shape " + Shape.str(root.shape()));
        }
        Map<Tensor, Integer> leafUses = new IdentityHashMap<>();
        List<Tensor> order = topologicalOrder(root, leafUses);
        // a leaf used once in the graph gets its gradient from a single rule, which may add it straight into the
        // leaf's gradient buffer (a weight's dW, written by its GEMM with accumulation) instead of returning it
        java.util.function.Predicate<Tensor> soleUse = t -> leafUses.getOrDefault(t, 0) == 1;
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, gradient.detach());
        // gradient temporaries that are more than one input's gradient at once: never handed back for reuse
        Map<Tensor, Boolean> pinned = new IdentityHashMap<>();
        try (var _ = NoGrad.enter()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor node = order.get(i);
                Tensor g = grads.remove(node);
                if (g == null) continue;
                Op op = node.gradFn();
                if (op == null) {
                    node.accumulateGrad(g, true);  // g is this engine's own temporary: its storage may be taken over
                    release(g, pinned);            // declined when the leaf took the storage over
                    continue;
                }
                Tensor[] inputs = op.inputs();
                Tensor[] inputGrads = Backward.grads(op, node, g, soleUse);
                for (int k = 0; k < inputGrads.length; k++) {
                    for (int j = 0; j < k; j++) if (inputGrads[k] != null && inputGrads[j] == inputGrads[k]) pinned.put(inputGrads[k], true);
                }
                boolean passedOn = false;  // g itself became an input's gradient (a rule may return it as is)
                for (int k = 0; k < inputs.length; k++) {
                    Tensor in = inputs[k];
                    if (!in.requiresGrad() || inputGrads[k] == null) continue;
                    passedOn |= inputGrads[k] == g;
                    Tensor before = grads.get(in);
                    grads.merge(in, inputGrads[k], Tensor::add);
                    if (before != null) release(before, pinned);  // summed into a new tensor: both addends are done
                    if (before != null && inputGrads[k] != g) release(inputGrads[k], pinned);
                }
                // g is dead now unless it was passed on or is also another node's gradient (one tensor returned for two inputs)
                if (!passedOn) release(g, pinned);
            }
        }
        if (!retainGraph) {
            for (Tensor node : order) {
                if (node.gradFn() != null) node.freeGraph();
                if (node.releasesAfterBackward()) node.release();  // an activation no caller can reach: done with now
            }
        }
    }

    /**
     * Hands a gradient temporary the engine is done with back to the thread's buffer cache, so a later op output
     * reuses its array; {@link Tensor#release} declines when any other tensor shares the storage.
     */
    private static void release(Tensor t, Map<Tensor, Boolean> pinned) {
        if (!pinned.containsKey(t)) t.release();
    }

    /**
     * Nodes reachable from {@code root} through tensors that require grad, each after all its inputs; counts in
     * {@code leafUses} the edges into each leaf (a leaf passed twice to one op counts twice).
     */
    private static List<Tensor> topologicalOrder(Tensor root, Map<Tensor, Integer> leafUses) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        ArrayList<Tensor[]> inputsOf = new ArrayList<>(); // each stack entry's inputs, read once (inputs() may copy)
        ArrayList<Integer> next = new ArrayList<>();      // index of the next input to visit, per stack entry
        push(root, stack, inputsOf, next);
        seen.put(root, true);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor[] inputs = inputsOf.get(top);
            int k = next.get(top);
            if (k < inputs.length) {
                next.set(top, k + 1);
                Tensor in = inputs[k];
                if (!in.requiresGrad()) continue;
                if (in.gradFn() == null) leafUses.merge(in, 1, Integer::sum);
                if (seen.containsKey(in)) continue;
                if (in.isGraphFreed()) throw freed();
                seen.put(in, true);
                push(in, stack, inputsOf, next);
            } else {
                order.add(stack.remove(top));
                inputsOf.remove(top);
                next.remove(top);
            }
        }
        return order;
    }

    private static void push(Tensor node, List<Tensor> stack, List<Tensor[]> inputsOf, List<Integer> next) {
        stack.add(node);
        inputsOf.add(node.gradFn() == null ? new Tensor[0] : node.gradFn().inputs());
        next.add(0);
    }

    private static IllegalStateException freed() {
        return new IllegalStateException("backward(): trying to backward through the graph a second time; its intermediate "
                + "results were freed after the first backward. Use backward(gradient, true) to retain the graph.");
    }
}
