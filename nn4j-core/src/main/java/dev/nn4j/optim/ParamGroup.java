package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of parameters with their own hyperparameters, as an entry of PyTorch's {@code optimizer.param_groups}.
 * Options a group does not set are filled from the optimizer's defaults when the optimizer is built.
 *
 * <p>Options are named as in PyTorch ({@code lr}, {@code momentum}, {@code weight_decay}; Adam's {@code betas}
 * tuple is split into {@code beta1} and {@code beta2}); flags ({@code nesterov}, {@code amsgrad}, …) are stored as
 * 1 or 0. Learning-rate schedules add their own entries ({@code initial_lr}, {@code max_lr}, …) as PyTorch's do.
 *
 * <p>Every value is held at float32 precision (rounded on {@link #set}): that is the precision of tensors and of
 * checkpoints, and it is what lets a run restored from {@link Optimizer#stateDict()} continue bit-identically.
 *
 * {@snippet :
 * var groups = List.of(new ParamGroup(List.of(w)), new ParamGroup(List.of(b)).set("lr", 0.01).set("weight_decay", 0));
 * var opt = new Sgd(groups, 0.1, 0.9, 0, 1e-4, false, false);  // w gets lr 0.1 and weight decay 1e-4
 * }
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();

    /** A group of {@code params} (copied) with no options of its own yet. */
    public ParamGroup(List<Tensor> params) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException("ParamGroup: needs at least one parameter");
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) throw new IllegalArgumentException("ParamGroup: parameter " + i + " is null");
        }
        this.params = List.copyOf(params);
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** Sets an option (rounded to float32 precision); returns this group for chaining. */
    public ParamGroup set(String name, double value) {
        options.put(name, (double) (float) value);
        return this;
    }

    /** Sets a flag option, stored as 1 or 0. */
    public ParamGroup set(String name, boolean value) {
        return set(name, value ? 1 : 0);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The value of an option; fails with the known names if the group has no such option. */
    public double get(String name) {
        Double v = options.get(name);
        if (v == null) throw new IllegalArgumentException("ParamGroup has no option '" + name + "'; it has " + options.keySet());
        return v;
    }

    /** A flag option: true when non-zero. */
    public boolean flag(String name) {
        return get(name) != 0;
    }

    public double lr() {
        return get("lr");
    }

    public void setLr(double lr) {
        set("lr", lr);
    }

    /** The options, in insertion order (unmodifiable view). */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    @Override
    public String toString() {
        List<String> shapes = new ArrayList<>();
        for (Tensor p : params) shapes.add(java.util.Arrays.toString(p.shape()));
        return "ParamGroup" + options + " params=" + shapes;
    }
}
