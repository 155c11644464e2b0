package dev.nn4j.optim;

import dev.nn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The base of every optimizer: parameter groups with their hyperparameters, per-parameter state, the loop over
 * parameters that have a gradient, and a state dict that lets training resume exactly. Subclasses give only the
 * per-parameter update rule and the range checks of their options.
 *
 * <p><b>Parameters.</b> Leaf tensors owning contiguous storage; non-leaves, duplicates and non-contiguous views are
 * rejected when the optimizer is built. Parameters that do not require grad are kept (they keep their index in the
 * state dict) but skipped by {@link #step()}, as are parameters whose gradient is null. Updates are made in place on
 * {@code param.array()} from {@code param.grad().array()} and bypass autograd.
 *
 * <p><b>State dict.</b> {@link #stateDict()} is a flat {@code Map<String, Tensor>} ready for safetensors, with
 * parameters numbered across groups in order as PyTorch does:
 * <ul>
 *   <li>{@code state.<i>.<name>}: per-parameter buffers ({@code state.3.exp_avg}, parameter-shaped) and the step
 *       counter {@code state.3.step} as a rank-0 tensor. Like PyTorch 1.13's float32 step tensor it counts
 *       exactly up to 2²⁴ = 16,777,216 steps.</li>
 *   <li>{@code param_groups.<g>.<option>}: every option of the group as a rank-0 tensor (flags as 1 or 0), and
 *       {@code param_groups.<g>.params}, the 1-D list of the group's parameter indices.</li>
 * </ul>
 * Hyperparameters are held at float32 precision throughout (see {@link ParamGroup}), so saving, loading into a
 * freshly built optimizer over the same parameters and continuing gives bit-identical parameters.
 *
 * <p><b>Writing an optimizer.</b> Pass the defaults to this constructor and implement {@link #checkOptions},
 * {@link #update} and {@link #stateNames}. Keep hyperparameters in the groups, not in fields: this constructor
 * already calls {@link #checkOptions} and {@link #initState}, before a subclass's fields are set.
 */
public abstract class Optimizer {
    private final String name;
    private final Map<String, Double> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Tensor>> state = new IdentityHashMap<>();

    /**
     * @param name     the optimizer's name for error messages ({@code "Adam"})
     * @param groups   the parameter groups; options they lack are filled from {@code defaults}
     * @param defaults every option the optimizer knows, with its default value
     */
    @SuppressWarnings("this-escape")  // calls checkOptions/initState, which read only their arguments, never subclass fields
    protected Optimizer(String name, Collection<ParamGroup> groups, Map<String, Double> defaults) {
        this.name = name;
        Map<String, Double> d = new LinkedHashMap<>();
        defaults.forEach((k, v) -> d.put(k, (double) (float) (double) v));
        this.defaults = d;
        if (groups == null || groups.isEmpty()) throw new IllegalArgumentException(name + ": got an empty list of parameter groups");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** One group of all {@code params}: the helper behind the subclasses' {@code List<Tensor>} constructors. */
    protected static List<ParamGroup> single(String name, List<Tensor> params) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException(name + ": got an empty parameter list");
        return List.of(new ParamGroup(params));
    }

    /**
     * Adds a group (as PyTorch's {@code add_param_group}): fills missing options from the defaults, rejects
     * unknown option names, parameters already in another group and invalid hyperparameter values.
     */
    public final void addParamGroup(ParamGroup group) {
        int gi = groups.size();
        for (String option : group.options().keySet()) {
            if (!defaults.containsKey(option)) {
                throw new IllegalArgumentException(name + ": param group " + gi + " has unknown option '" + option + "'; known options are " + defaults.keySet());
            }
        }
        defaults.forEach((k, v) -> { if (!group.has(k)) group.set(k, v); });
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) seen.addAll(g.params());
        for (int i = 0; i < group.params().size(); i++) {
            Tensor p = group.params().get(i);
            String where = "parameter " + i + " of param group " + gi + " (shape " + Arrays.toString(p.shape()) + ")";
            if (!p.isLeaf()) throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor: " + where + "; pass the leaf tensors (detach() a computed one)");
            if (!seen.add(p)) throw new IllegalArgumentException(name + ": " + where + " appears in more than one param group or twice in one");
            try {
                p.array();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(name + ": " + where + " is a view or non-contiguous; optimizers update parameters in place and need tensors owning their storage");
            }
        }
        checkOptions(group, gi);
        groups.add(group);
        for (Tensor p : group.params()) initState(group, p, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
    }

    /**
     * Checks the ranges of a group's options; throws {@link IllegalArgumentException} naming the optimizer,
     * option, group and value ({@link #require} helps).
     */
    protected abstract void checkOptions(ParamGroup group, int groupIndex);

    /** Creates state a parameter has before its first step (Adagrad's sum); most optimizers create it lazily. */
    protected void initState(ParamGroup group, Tensor param, Map<String, Tensor> state) {}

    /**
     * Updates one parameter in place.
     *
     * @param p     the parameter's values ({@code param.array()})
     * @param g     its gradient's values, not to be modified
     * @param state its state buffers by name, empty before its first step (the update creates them)
     */
    protected abstract void update(ParamGroup group, Tensor param, float[] p, float[] g, Map<String, Tensor> state);

    /** The buffers an optimizer may keep per parameter, for checking loaded state dicts. */
    protected abstract Set<String> stateNames();

    /** Throws {@code "<Name>: <what> but param group <g> has <value>"} unless {@code ok}. */
    protected final void require(boolean ok, String what, ParamGroup group, String option, int groupIndex) {
        if (!ok) throw new IllegalArgumentException(name + ": " + what + " but param group " + groupIndex + " has " + option + "=" + group.get(option));
    }

    /** One step of the update rule over every parameter that requires grad and has a gradient. */
    public void step() {
        for (ParamGroup group : groups) {
            for (Tensor param : group.params()) {
                Tensor grad = param.grad();
                if (!param.requiresGrad() || grad == null) continue;
                update(group, param, param.array(), grad.array(), state.get(param));
            }
        }
    }

    /**
     * Zeroes every parameter's gradient in place, keeping the buffers for the next backward (PyTorch 1.13's default
     * {@code zero_grad(set_to_none=False)}). A parameter whose gradient stays zero is still stepped (momentum and
     * weight decay move it), as in PyTorch; use {@link #zeroGrad(boolean) zeroGrad(true)} to skip such parameters.
     */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** Zeroes every parameter's gradient in place, or sets it to null when {@code setToNone} (see {@link Tensor#zeroGrad(boolean)}). */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) for (Tensor p : g.params()) p.zeroGrad(setToNone);
    }

    /** The groups, in order (unmodifiable; a group's options can be changed through it, as schedules do). */
    public List<ParamGroup> paramGroups() {
        return java.util.Collections.unmodifiableList(groups);
    }

    /** The learning rate of group 0 (the only one, unless groups were given). */
    public double lr() {
        return lr(0);
    }

    public double lr(int group) {
        return groups.get(group).lr();
    }

    /** Sets the learning rate of every group. */
    public void setLr(double lr) {
        for (int i = 0; i < groups.size(); i++) setLr(i, lr);
    }

    public void setLr(int group, double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(name + ": learning rate must be >= 0 but was " + lr + " for param group " + group);
        groups.get(group).setLr(lr);
    }

    /** The optimizer's defaults (every option it knows), unmodifiable. */
    public Map<String, Double> defaults() {
        return java.util.Collections.unmodifiableMap(defaults);
    }

    /** The state buffers of one parameter (empty before its first step), for inspection; not a copy. */
    public Map<String, Tensor> state(Tensor param) {
        Map<String, Tensor> s = state.get(param);
        if (s == null) throw new IllegalArgumentException(name + ": tensor of shape " + Arrays.toString(param.shape()) + " is not one of this optimizer's parameters");
        return java.util.Collections.unmodifiableMap(s);
    }

    /** A snapshot (deep copies) of the state and hyperparameters; see the class comment for the names. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            float[] ids = new float[g.params().size()];
            for (int j = 0; j < ids.length; j++, index++) {
                ids[j] = index;
                for (var e : state.get(g.params().get(j)).entrySet()) {
                    out.put("state." + index + "." + e.getKey(), Tensor.fromArray(e.getValue().toFloatArray(), e.getValue().shape()));
                }
            }
            for (var e : g.options().entrySet()) out.put("param_groups." + gi + "." + e.getKey(), Tensor.scalar((float) (double) e.getValue()));
            out.put("param_groups." + gi + ".params", Tensor.fromArray(ids, ids.length));
        }
        return out;
    }

    /**
     * Restores a {@link #stateDict()} taken from an optimizer of the same kind over parameters of the same shapes
     * in the same groups. Everything is checked before anything changes: the number of groups and their sizes,
     * that every key is known, that every option of this optimizer is present, and every shape; the loaded values
     * are copied. Options the dict adds (a schedule's {@code initial_lr}) are restored too.
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        String op = name + ".loadStateDict";
        List<Tensor> params = new ArrayList<>();
        for (ParamGroup g : groups) params.addAll(g.params());
        Map<Integer, Map<String, Double>> options = new TreeMap<>();
        Map<Integer, Tensor> members = new HashMap<>();
        Map<Tensor, Map<String, Tensor>> loaded = new IdentityHashMap<>();
        for (Tensor p : params) loaded.put(p, new LinkedHashMap<>());
        for (var e : dict.entrySet()) {
            String key = e.getKey();
            Tensor value = e.getValue();
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3 || !(parts[0].equals("state") || parts[0].equals("param_groups")) || !parts[1].matches("\\d{1,9}")) {
                throw new IllegalArgumentException(op + ": unexpected key '" + key + "'; expected state.<index>.<name> or param_groups.<index>.<option>");
            }
            int i = Integer.parseInt(parts[1]);
            if (parts[0].equals("state")) {
                if (i >= params.size()) throw new IllegalArgumentException(op + ": key '" + key + "' refers to parameter " + i + " but this optimizer has " + params.size() + " parameters");
                if (!stateNames().contains(parts[2])) throw new IllegalArgumentException(op + ": key '" + key + "' names unknown state '" + parts[2] + "'; " + name + " keeps " + stateNames());
                Tensor p = params.get(i);
                int[] expected = parts[2].equals("step") ? new int[0] : p.shape();
                if (!Arrays.equals(expected, value.shape())) {
                    throw new IllegalArgumentException(op + ": '" + key + "' has shape " + Arrays.toString(value.shape()) + " but expected " + Arrays.toString(expected)
                            + (expected.length == 0 ? " (a scalar)" : " (the shape of parameter " + i + ")"));
                }
                loaded.get(p).put(parts[2], Tensor.fromArray(value.toFloatArray(), value.shape()));
            } else if (parts[2].equals("params")) {
                members.put(i, value);
            } else {
                if (value.dim() != 0) throw new IllegalArgumentException(op + ": '" + key + "' must be a scalar (rank-0) tensor but has shape " + Arrays.toString(value.shape()));
                options.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(parts[2], (double) value.item());
            }
        }
        // group structure: same count, same sizes, parameters numbered in order
        if (members.size() != groups.size()) {
            throw new IllegalArgumentException(op + ": the state dict has " + members.size() + " param groups (param_groups.<g>.params entries) but this optimizer has " + groups.size());
        }
        for (int gi : options.keySet()) {
            if (gi >= groups.size()) throw new IllegalArgumentException(op + ": the state dict has options for param group " + gi + " but this optimizer has " + groups.size() + " groups");
        }
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Tensor ids = members.get(gi);
            int size = groups.get(gi).params().size();
            if (ids == null) throw new IllegalArgumentException(op + ": missing key 'param_groups." + gi + ".params'");
            if (ids.dim() != 1 || ids.numel() != size) {
                throw new IllegalArgumentException(op + ": param group " + gi + " has " + size + " parameters but 'param_groups." + gi + ".params' has shape " + Arrays.toString(ids.shape()));
            }
            for (int j = 0; j < size; j++, index++) {
                if (ids.get(j) != index) throw new IllegalArgumentException(op + ": 'param_groups." + gi + ".params' lists parameter " + ids.get(j) + " at position " + j + " but expected " + index);
            }
            Map<String, Double> o = options.getOrDefault(gi, Map.of());
            for (String required : defaults.keySet()) {
                if (!o.containsKey(required)) throw new IllegalArgumentException(op + ": missing key 'param_groups." + gi + "." + required + "'");
            }
        }
        // the options must pass the same range checks as at construction
        List<ParamGroup> restored = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = new ParamGroup(groups.get(gi).params());
            options.get(gi).forEach(g::set);
            checkOptions(g, gi);
            restored.add(g);
        }
        // commit
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            restored.get(gi).options().forEach(g::set);
        }
        for (Tensor p : params) {
            Map<String, Tensor> s = state.get(p);
            s.clear();
            s.putAll(loaded.get(p));
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) sb.append("\n  param group ").append(i).append(": ").append(groups.get(i).options());
        return sb.append("\n)").toString();
    }
}
