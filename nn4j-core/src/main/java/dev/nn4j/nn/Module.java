package dev.nn4j.nn;

import dev.nn4j.tensor.Shape;
import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A layer or a model, as {@code torch.nn.Module}: a {@link #forward} plus an ordered registry of parameters,
 * buffers and child modules, from which it derives PyTorch's dotted names ({@code fc1.weight}, {@code 0.bias}),
 * the state dict, train/eval mode, freezing and a printed tree. It is not a graph or a builder: subclasses
 * register what they own in their constructor or field initialisers and write {@code forward} in a few lines.
 *
 * <p>Parameters are plain leaf tensors with {@code requiresGrad(true)}; buffers are tensors that are saved in the
 * state dict but not trained (running statistics, for example).
 *
 * {@snippet :
 * class Net extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(784, 128));
 *     final Linear fc2 = registerModule("fc2", new Linear(128, 10));
 *
 *     public Tensor forward(Tensor x) {
 *         return fc2.forward(fc1.forward(x.flatten(1, -1)).relu());
 *     }
 * }
 * // new Net().namedParameters().keySet() is [fc1.weight, fc1.bias, fc2.weight, fc2.bias]
 * }
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's computation. */
    public abstract Tensor forward(Tensor x);

    // ------------------------------------------------------------------ registration

    /**
     * Registers a leaf tensor as a trainable parameter under {@code name} (no dots) and marks it {@code requiresGrad(true)}.
     * Returns the tensor.
     */
    public Tensor registerParameter(String name, Tensor parameter) {
        checkName("registerParameter", name, parameter);
        if (!parameter.isLeaf()) {
            throw new IllegalArgumentException("registerParameter: '" + name + "' must be a leaf tensor (not the result of an op); use detach() or a new tensor");
        }
        parameters.put(name, parameter.requiresGrad(true));
        return parameter;
    }

    /** Registers a non-trainable tensor that is still part of the state dict (e.g. running statistics). Returns it. */
    public Tensor registerBuffer(String name, Tensor buffer) {
        checkName("registerBuffer", name, buffer);
        buffers.put(name, buffer);
        return buffer;
    }

    /** Registers a child module under {@code name}; its parameters get the prefix {@code name.}. Returns the child. */
    public <M extends Module> M registerModule(String name, M module) {
        checkName("registerModule", name, module);
        checkNotAncestor("registerModule", name, module);
        children.put(name, module);
        return module;
    }

    /** Puts {@code module} in place of the child {@code name}, in the same position; for containers such as {@link Sequential#set}. */
    void replaceModule(String name, Module module) {
        if (!children.containsKey(name)) throw new IllegalArgumentException("replaceModule: " + typeName() + " has no module named '" + name + "'");
        if (module == null) throw new IllegalArgumentException("replaceModule: '" + name + "' is null");
        checkNotAncestor("replaceModule", name, module);
        children.put(name, module);
    }

    private void checkNotAncestor(String op, String name, Module module) {
        if (module.namedModules().containsValue(this)) {
            throw new IllegalArgumentException(op + ": '" + name + "' contains this " + typeName() + "; a module cannot be its own descendant");
        }
    }

    private void checkName(String op, String name, Object value) {
        if (value == null) throw new IllegalArgumentException(op + ": '" + name + "' is null");
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(op + ": name must be non-empty and contain no '.', but was '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(op + ": " + typeName() + " already has a parameter, buffer or module named '" + name + "'");
        }
    }

    // ------------------------------------------------------------------ traversal

    /** All parameters of this module and its descendants, each once (a tensor shared by two layers appears once). */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name ({@code fc1.weight}), in registration order, depth first; a shared tensor keeps its first name. */
    public LinkedHashMap<String, Tensor> namedParameters() {
        return collect(m -> m.parameters);
    }

    /** All buffers of this module and its descendants, each once. */
    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Buffers by dotted name, in registration order, depth first. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        return collect(m -> m.buffers);
    }

    private LinkedHashMap<String, Tensor> collect(Function<Module, Map<String, Tensor>> own) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        namedModules().forEach((prefix, m) -> own.apply(m).forEach((name, t) -> {
            if (seen.add(t)) out.put(prefix.isEmpty() ? name : prefix + "." + name, t);
        }));
        return out;
    }

    /** This module (under the name {@code ""}) and every descendant by dotted name, pre-order, each once. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        addModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void addModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) return;
        out.put(prefix, m);
        m.children.forEach((name, c) -> addModules(prefix.isEmpty() ? name : prefix + "." + name, c, out, seen));
    }

    /** The direct children, in registration order. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** The direct children by name, in registration order. */
    public LinkedHashMap<String, Module> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    /** Calls {@code fn} on every descendant (children first, as PyTorch's {@code apply}) and then on this module. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------------ modes, freezing, gradients

    /** Training mode (the default) for this module and all descendants: dropout drops, and so on. */
    public Module train() {
        return train(true);
    }

    /** Sets training mode ({@code true}) or evaluation mode ({@code false}) recursively. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    /** Evaluation mode, recursively: {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Sets {@code requiresGrad} on every parameter of this module and its descendants; {@code false} freezes them. */
    public Module requiresGrad(boolean value) {
        for (Tensor p : parameters()) p.requiresGrad(value);
        return this;
    }

    /** Zeroes the gradient of every parameter in place, keeping the buffers (PyTorch 1.13's default {@code set_to_none=False}). */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** Zeroes every parameter's gradient in place, or sets it to null when {@code setToNone} (see {@link Tensor#zeroGrad(boolean)}). */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : parameters()) p.zeroGrad(setToNone);
    }

    /** Number of parameter elements (each shared tensor counted once). */
    public long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    /** Number of parameter elements that require grad. */
    public long trainableParameterCount() {
        return count(parameters(), true);
    }

    private static long count(Iterable<Tensor> tensors, boolean trainable) {
        long n = 0;
        for (Tensor t : tensors) if (t.requiresGrad() == trainable) n += t.numel();
        return n;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and buffers by dotted name, in PyTorch's order (a module's own parameters, then its own buffers,
     * then each child's entries). The values are <b>detached views</b> sharing storage with the module, as in
     * PyTorch: they change when the model trains, so copy them ({@code t.copy()}) to keep a snapshot.
     * A tensor shared by two layers appears under both names, as in PyTorch.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        addState("", out);
        return out;
    }

    private void addState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, t) -> out.put(prefix + name, t.detach()));
        buffers.forEach((name, t) -> out.put(prefix + name, t.detach()));
        children.forEach((name, c) -> c.addState(prefix + name + ".", out));
    }

    /** Keys of a state dict that the module lacks ({@code unexpectedKeys}) or has but the state dict lacks ({@code missingKeys}). */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
        public boolean isEmpty() {
            return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
        }
    }

    /** {@link #loadStateDict(Map, boolean)} with {@code strict = true}. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /**
     * Copies values from {@code stateDict} into this module's parameters and buffers in place (bypassing autograd).
     * When {@code strict}, the keys must match {@link #stateDict()} exactly; otherwise only matching keys are
     * loaded and the rest are returned. Either way, a key present on both sides with a different shape is an
     * error (as in PyTorch). Everything is checked before anything is copied, so a failed load changes nothing;
     * the message lists every missing, unexpected and wrongly shaped entry with its shape.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        addOwnedState("", own);
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), wrongShape = new ArrayList<>();
        own.forEach((name, t) -> {
            Tensor src = stateDict.get(name);
            if (src == null) missing.add(name);
            else if (!Arrays.equals(src.shape(), t.shape())) wrongShape.add(name);
        });
        stateDict.keySet().forEach(name -> {
            if (!own.containsKey(name)) unexpected.add(name);
        });
        if (!wrongShape.isEmpty() || strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading the state dict into " + typeName() + ":");
            appendList(sb, "missing keys", missing, k -> k + " " + Shape.str(own.get(k).shape()));
            appendList(sb, "unexpected keys", unexpected, k -> k + " " + Shape.str(stateDict.get(k).shape()));
            appendList(sb, "wrong shapes", wrongShape, k -> k + ": state dict has " + Shape.str(stateDict.get(k).shape())
                    + " but the module has " + Shape.str(own.get(k).shape()));
            if (wrongShape.isEmpty()) sb.append("\n  (loadStateDict(map, false) loads only the matching keys)");
            throw new IllegalArgumentException(sb.toString());
        }
        own.forEach((name, t) -> {
            Tensor src = stateDict.get(name);
            if (src != null) t.copyFrom(src);
        });
        return new IncompatibleKeys(List.copyOf(missing), List.copyOf(unexpected));
    }

    /** Like {@link #addState} but with the tensors themselves, for in-place loading. */
    private void addOwnedState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, t) -> out.put(prefix + name, t));
        buffers.forEach((name, t) -> out.put(prefix + name, t));
        children.forEach((name, c) -> c.addOwnedState(prefix + name + ".", out));
    }

    private static void appendList(StringBuilder sb, String title, List<String> keys, Function<String, String> describe) {
        if (keys.isEmpty()) return;
        sb.append("\n  ").append(title).append(" (").append(keys.size()).append("):");
        for (String k : keys) sb.append("\n    ").append(describe.apply(k));
    }

    // ------------------------------------------------------------------ printing

    /** The options shown inside the parentheses of {@link #toString()}, as PyTorch's {@code extra_repr}; empty by default. */
    protected String extraRepr() {
        return "";
    }

    /** The name shown by {@link #toString()}: the class's simple name. */
    protected String typeName() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "Module" : n;
    }

    /**
     * The module tree in PyTorch's format, with the parameter count of each module that owns parameters after a
     * {@code #}, and, for a module with children, a last line with the totals:
     * <pre>
     * Sequential(
     *   (0): Linear(in_features=784, out_features=256, bias=True)  # 200,960 params
     *   (1): ReLU()
     *   (2): Linear(in_features=256, out_features=10, bias=True)  # 2,570 params, frozen
     * )
     * Parameters: 203,530 (trainable: 200,960, frozen: 2,570)
     * </pre>
     */
    @Override
    public String toString() {
        String tree = repr();
        if (children.isEmpty()) return tree;
        long trainable = trainableParameterCount(), total = parameterCount();
        return tree + "\nParameters: " + grouped(total) + " (trainable: " + grouped(trainable) + ", frozen: " + grouped(total - trainable) + ")";
    }

    private String repr() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : List.of(extra.split("\n"));
        lines.addAll(extraLines);
        children.forEach((name, c) -> lines.add("(" + name + "): " + c.repr().replace("\n", "\n  ")));
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (extraLines.size() == 1 && children.isEmpty()) {
            sb.append(extraLines.getFirst());
        } else if (!lines.isEmpty()) {
            sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        sb.append(')');
        if (!parameters.isEmpty()) {
            long total = count(parameters.values(), true) + count(parameters.values(), false);
            long frozen = count(parameters.values(), false);
            sb.append("  # ").append(grouped(total)).append(" params");
            if (frozen == total) sb.append(", frozen");
            else if (frozen > 0) sb.append(", ").append(grouped(frozen)).append(" frozen");
        }
        return sb.toString();
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code v} as Python's {@code repr(float)} writes it ({@code 1e-05}, {@code 0.001}, {@code 0.1}), for PyTorch-style printing. */
    protected static String pythonFloat(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) return s;
        int exp = Integer.parseInt(s.substring(e + 1));
        String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
        if (exp >= -4 && exp < 16) {
            String plain = new java.math.BigDecimal(mantissa + "E" + exp).toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exp));
    }
}
