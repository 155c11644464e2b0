package dev.nn4j.io;

import dev.nn4j.nn.AdaptiveAvgPool2d;
import dev.nn4j.nn.AvgPool2d;
import dev.nn4j.nn.BatchNorm1d;
import dev.nn4j.nn.BatchNorm2d;
import dev.nn4j.nn.BatchNorm;
import dev.nn4j.nn.Conv1d;
import dev.nn4j.nn.Conv2d;
import dev.nn4j.nn.Dropout;
import dev.nn4j.nn.ELU;
import dev.nn4j.nn.Embedding;
import dev.nn4j.nn.Flatten;
import dev.nn4j.nn.GELU;
import dev.nn4j.nn.GRU;
import dev.nn4j.nn.GroupNorm;
import dev.nn4j.nn.Identity;
import dev.nn4j.nn.InferenceLinear;
import dev.nn4j.nn.LSTM;
import dev.nn4j.nn.LayerNorm;
import dev.nn4j.nn.LeakyReLU;
import dev.nn4j.nn.LearnedPositionalEncoding;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.LogSoftmax;
import dev.nn4j.nn.MaxPool2d;
import dev.nn4j.nn.Module;
import dev.nn4j.nn.MultiheadAttention;
import dev.nn4j.nn.RNN;
import dev.nn4j.nn.RNNBase;
import dev.nn4j.nn.ReLU;
import dev.nn4j.nn.SequencePool;
import dev.nn4j.nn.Sequential;
import dev.nn4j.nn.SiLU;
import dev.nn4j.nn.Sigmoid;
import dev.nn4j.nn.SinusoidalPositionalEncoding;
import dev.nn4j.nn.Softmax;
import dev.nn4j.nn.Tanh;
import dev.nn4j.nn.TransformerEncoder;
import dev.nn4j.nn.TransformerEncoderLayer;
import dev.nn4j.nn.Upsample;
import dev.nn4j.tensor.Generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architecture of a model as a small JSON document, so that one model file is enough to rebuild it:
 * {@code {"type":"Sequential","layers":[{"type":"Linear","in_features":784,"out_features":256,"bias":true},{"type":"ReLU"}, …]}}.
 * Keys are the PyTorch constructor arguments. Only the built-in layers are describable; a spec is built from
 * the same layer classes users construct by hand, so a rebuilt model has the same state-dict names.
 * A new layer becomes describable by one case in {@link #describe} and one in {@link #build}.
 */
public final class ModelSpec {
    private ModelSpec() {}

    /** The JSON spec of {@code model}, or an error naming the first layer that has none. */
    public static String toJson(Module model) {
        return describe(model, "model").write();
    }

    /** Builds a fresh, newly initialised model from a spec written by {@link #toJson} (or by hand). */
    public static Module fromJson(String json) {
        Json doc;
        try {
            doc = Json.parse(json);
        } catch (JsonException e) {
            throw new IllegalArgumentException("model spec is not valid JSON: " + e.getMessage(), e);
        }
        return build(doc, "model");
    }

    private static Json describe(Module m, String path) {
        Map<String, Json> o = new LinkedHashMap<>();
        o.put("type", Json.of(m.getClass().getSimpleName()));
        switch (m) {
            case Sequential s -> {
                List<Json> layers = new ArrayList<>();
                for (int i = 0; i < s.size(); i++) layers.add(describe(s.get(i), path + "." + i));
                o.put("layers", new Json.Arr(layers));
            }
            case Linear l -> {
                o.put("in_features", Json.of(l.inFeatures()));
                o.put("out_features", Json.of(l.outFeatures()));
                o.put("bias", Json.of(l.hasBias()));
            }
            case Flatten f -> {
                o.put("start_dim", Json.of(f.startDim()));
                o.put("end_dim", Json.of(f.endDim()));
            }
            case Dropout d -> o.put("p", Json.of(d.p()));
            case LeakyReLU r -> o.put("negative_slope", Json.of((double) r.negativeSlope()));
            case ELU e -> o.put("alpha", Json.of((double) e.alpha()));
            case GELU g -> o.put("approximate", Json.of(g.approximate()));
            case Softmax s -> o.put("dim", Json.of(s.dim()));
            case LogSoftmax s -> o.put("dim", Json.of(s.dim()));
            case LayerNorm n -> {
                List<Json> shape = new ArrayList<>();
                for (int d : n.normalizedShape()) shape.add(Json.of(d));
                o.put("normalized_shape", new Json.Arr(shape));
                o.put("eps", Json.of(n.eps()));
                o.put("elementwise_affine", Json.of(n.weight() != null));
            }
            case BatchNorm n -> {
                o.put("num_features", Json.of(n.numFeatures()));
                o.put("eps", Json.of(n.eps()));
                o.put("momentum", n.momentum() == null ? new Json.Null() : Json.of(n.momentum()));
                o.put("affine", Json.of(n.weight() != null));
                o.put("track_running_stats", Json.of(n.runningMean() != null));
            }
            case GroupNorm n -> {
                o.put("num_groups", Json.of(n.numGroups()));
                o.put("num_channels", Json.of(n.numChannels()));
                o.put("eps", Json.of(n.eps()));
                o.put("affine", Json.of(n.weight() != null));
            }
            case Embedding e -> {
                o.put("num_embeddings", Json.of(e.numEmbeddings()));
                o.put("embedding_dim", Json.of(e.embeddingDim()));
                if (e.paddingIdx() != null) o.put("padding_idx", Json.of(e.paddingIdx()));
            }
            case RNNBase r -> {
                o.put("input_size", Json.of(r.inputSize()));
                o.put("hidden_size", Json.of(r.hiddenSize()));
                o.put("num_layers", Json.of(r.numLayers()));
                o.put("bias", Json.of(r.hasBias()));
                o.put("batch_first", Json.of(r.batchFirst()));
                o.put("dropout", Json.of(r.dropout()));
                o.put("bidirectional", Json.of(r.bidirectional()));
                if (r instanceof RNN rnn) o.put("nonlinearity", Json.of(rnn.nonlinearity().name().toLowerCase(java.util.Locale.ROOT)));
            }
            case Identity _, ReLU _, SiLU _, Sigmoid _, Tanh _ -> { }
            case MultiheadAttention a -> {
                o.put("embed_dim", Json.of(a.embedDim()));
                o.put("num_heads", Json.of(a.numHeads()));
                o.put("dropout", Json.of(a.dropout()));
                o.put("bias", Json.of(a.hasBias()));
                o.put("batch_first", Json.of(a.batchFirst()));
            }
            case TransformerEncoderLayer l -> {
                o.put("d_model", Json.of(l.dModel()));
                o.put("nhead", Json.of(l.nhead()));
                o.put("dim_feedforward", Json.of(l.dimFeedforward()));
                o.put("dropout", Json.of(l.dropout()));
                o.put("activation", Json.of(l.activation()));
                o.put("layer_norm_eps", Json.of(l.layerNormEps()));
                o.put("batch_first", Json.of(l.batchFirst()));
                o.put("norm_first", Json.of(l.normFirst()));
            }
            case TransformerEncoder e -> {
                Json layer = describe(e.layers().getFirst(), path + ".layers.0");
                for (int i = 1; i < e.numLayers(); i++) {
                    if (!describe(e.layers().get(i), path + ".layers." + i).write().equals(layer.write())) {
                        throw new IllegalArgumentException("model spec: " + path + " is a TransformerEncoder whose layers 0 and " + i
                                + " have different options; the JSON spec describes one layer repeated num_layers times");
                    }
                }
                o.put("num_layers", Json.of(e.numLayers()));
                o.put("layer", layer);
                o.put("norm", e.norm() == null ? new Json.Null() : describe(e.norm(), path + ".norm"));
            }
            case SinusoidalPositionalEncoding p -> {
                o.put("d_model", Json.of(p.dModel()));
                o.put("max_len", Json.of(p.maxLen()));
            }
            case LearnedPositionalEncoding p -> {
                o.put("max_len", Json.of(p.maxLen()));
                o.put("d_model", Json.of(p.dModel()));
            }
            case Conv2d c -> {
                o.put("in_channels", Json.of(c.inChannels()));
                o.put("out_channels", Json.of(c.outChannels()));
                o.put("kernel_size", intArray(c.kernelSize()));
                o.put("stride", intArray(c.stride()));
                o.put("padding", c.paddingName() != null ? Json.of(c.paddingName()) : intArray(c.padding()));
                o.put("dilation", intArray(c.dilation()));
                o.put("groups", Json.of(c.groups()));
                o.put("bias", Json.of(c.bias() != null));
                o.put("padding_mode", Json.of("zeros"));
            }
            case Conv1d c -> {
                o.put("in_channels", Json.of(c.inChannels()));
                o.put("out_channels", Json.of(c.outChannels()));
                o.put("kernel_size", Json.of(c.kernelSize()));
                o.put("stride", Json.of(c.stride()));
                o.put("padding", c.paddingName() != null ? Json.of(c.paddingName()) : Json.of(c.padding()));
                o.put("dilation", Json.of(c.dilation()));
                o.put("groups", Json.of(c.groups()));
                o.put("bias", Json.of(c.bias() != null));
                o.put("padding_mode", Json.of("zeros"));
            }
            case MaxPool2d p -> {
                o.put("kernel_size", intArray(p.kernelSize()));
                o.put("stride", intArray(p.stride()));
                o.put("padding", intArray(p.padding()));
                o.put("dilation", intArray(p.dilation()));
                o.put("ceil_mode", Json.of(false));
            }
            case AvgPool2d p -> {
                o.put("kernel_size", intArray(p.kernelSize()));
                o.put("stride", intArray(p.stride()));
                o.put("padding", intArray(p.padding()));
                o.put("ceil_mode", Json.of(false));
                o.put("count_include_pad", Json.of(p.countIncludePad()));
            }
            case AdaptiveAvgPool2d p -> o.put("output_size", intArray(p.outputSize()));
            case Upsample u -> {
                if (u.size() != null) o.put("size", intArray(u.size()));
                else o.put("scale_factor", intArray(u.scaleFactor()));
                o.put("mode", Json.of(u.mode()));
            }
            case SequencePool p -> o.put("mode", Json.of(p.mode()));
            case InferenceLinear _ -> throw new IllegalArgumentException("model spec: " + path + " is an InferenceLinear, made by "
                    + "Inference.prepare for inference only, which cannot be saved; save the model before preparing it");
            default -> throw new IllegalArgumentException("model spec: " + path + " is a " + m.getClass().getName()
                    + ", which has no JSON spec; only the built-in layers can be described (" + String.join(", ", TYPES) + ")");
        }
        return new Json.Obj(o);
    }

    private static final List<String> TYPES = List.of("Sequential", "Linear", "Flatten", "Identity", "Dropout", "ReLU",
            "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "Embedding",
            "RNN", "LSTM", "GRU", "MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder", "SinusoidalPositionalEncoding",
            "LearnedPositionalEncoding", "Conv1d", "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Upsample", "SequencePool");

    private static Module build(Json node, String path) {
        if (!(node instanceof Json.Obj o)) throw error(path, "must be an object but is a " + node.typeName());
        String type = string(o, "type", path);
        return switch (type) {
            case "Sequential" -> {
                if (!(o.get("layers") instanceof Json.Arr layers)) throw error(path, "(Sequential) needs an array \"layers\"");
                Sequential s = new Sequential();
                for (int i = 0; i < layers.items().size(); i++) s.add(build(layers.items().get(i), path + "." + i));
                yield s;
            }
            case "Linear" -> new Linear(integer(o, "in_features", path), integer(o, "out_features", path), bool(o, "bias", path, true));
            case "Flatten" -> new Flatten(integer(o, "start_dim", path, 1), integer(o, "end_dim", path, -1));
            case "Identity" -> new Identity();
            case "Dropout" -> new Dropout(number(o, "p", path, 0.5));
            case "ReLU" -> new ReLU();
            case "LeakyReLU" -> new LeakyReLU((float) number(o, "negative_slope", path, 0.01));
            case "ELU" -> new ELU((float) number(o, "alpha", path, 1.0));
            case "GELU" -> new GELU(o.get("approximate") == null ? "none" : string(o, "approximate", path));
            case "SiLU" -> new SiLU();
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "Softmax" -> new Softmax(integer(o, "dim", path));
            case "LogSoftmax" -> new LogSoftmax(integer(o, "dim", path));
            case "LayerNorm" -> new LayerNorm(ints(o, "normalized_shape", path), number(o, "eps", path, 1e-5),
                    bool(o, "elementwise_affine", path, true));
            case "BatchNorm1d" -> new BatchNorm1d(integer(o, "num_features", path), number(o, "eps", path, 1e-5), momentum(o, path),
                    bool(o, "affine", path, true), bool(o, "track_running_stats", path, true));
            case "BatchNorm2d" -> new BatchNorm2d(integer(o, "num_features", path), number(o, "eps", path, 1e-5), momentum(o, path),
                    bool(o, "affine", path, true), bool(o, "track_running_stats", path, true));
            case "GroupNorm" -> new GroupNorm(integer(o, "num_groups", path), integer(o, "num_channels", path),
                    number(o, "eps", path, 1e-5), bool(o, "affine", path, true));
            case "Embedding" -> new Embedding(integer(o, "num_embeddings", path), integer(o, "embedding_dim", path),
                    o.get("padding_idx") == null ? null : integer(o, "padding_idx", path), Generator.global());
            case "LSTM" -> new LSTM(integer(o, "input_size", path), integer(o, "hidden_size", path), integer(o, "num_layers", path, 1),
                    bool(o, "bias", path, true), bool(o, "batch_first", path, false), number(o, "dropout", path, 0),
                    bool(o, "bidirectional", path, false), Generator.global());
            case "GRU" -> new GRU(integer(o, "input_size", path), integer(o, "hidden_size", path), integer(o, "num_layers", path, 1),
                    bool(o, "bias", path, true), bool(o, "batch_first", path, false), number(o, "dropout", path, 0),
                    bool(o, "bidirectional", path, false), Generator.global());
            case "RNN" -> new RNN(integer(o, "input_size", path), integer(o, "hidden_size", path), integer(o, "num_layers", path, 1),
                    RNN.Nonlinearity.of(o.get("nonlinearity") == null ? "tanh" : string(o, "nonlinearity", path)),
                    bool(o, "bias", path, true), bool(o, "batch_first", path, false), number(o, "dropout", path, 0),
                    bool(o, "bidirectional", path, false), Generator.global());
            case "MultiheadAttention" -> new MultiheadAttention(integer(o, "embed_dim", path), integer(o, "num_heads", path),
                    number(o, "dropout", path, 0), bool(o, "bias", path, true), bool(o, "batch_first", path, false), Generator.global());
            case "TransformerEncoderLayer" -> new TransformerEncoderLayer(integer(o, "d_model", path), integer(o, "nhead", path),
                    integer(o, "dim_feedforward", path, 2048), number(o, "dropout", path, 0.1),
                    o.get("activation") == null ? "relu" : string(o, "activation", path), number(o, "layer_norm_eps", path, 1e-5),
                    bool(o, "batch_first", path, false), bool(o, "norm_first", path, false), Generator.global());
            case "TransformerEncoder" -> {
                if (o.get("layer") == null || !(build(o.get("layer"), path + ".layer") instanceof TransformerEncoderLayer layer)) {
                    throw error(path, "(TransformerEncoder) needs a \"layer\" of type TransformerEncoderLayer");
                }
                Json norm = o.get("norm");
                LayerNorm finalNorm = null;
                if (norm != null && !(norm instanceof Json.Null)) {
                    if (!(build(norm, path + ".norm") instanceof LayerNorm n)) throw error(path, "(TransformerEncoder) needs a LayerNorm or null as \"norm\"");
                    finalNorm = n;
                }
                yield new TransformerEncoder(layer, integer(o, "num_layers", path), finalNorm);
            }
            case "SinusoidalPositionalEncoding" -> new SinusoidalPositionalEncoding(integer(o, "d_model", path), integer(o, "max_len", path));
            case "LearnedPositionalEncoding" -> new LearnedPositionalEncoding(integer(o, "max_len", path), integer(o, "d_model", path));
            case "Conv1d" -> {
                zerosPadding(o, path);
                int[] k = ints(o, "kernel_size", path, 1, null), st = ints(o, "stride", path, 1, new int[] {1}),
                        d = ints(o, "dilation", path, 1, new int[] {1});
                int in = integer(o, "in_channels", path), out = integer(o, "out_channels", path), groups = integer(o, "groups", path, 1);
                boolean bias = bool(o, "bias", path, true);
                yield o.get("padding") instanceof Json.Str
                        ? new Conv1d(in, out, k[0], st[0], string(o, "padding", path), d[0], groups, bias, Generator.global())
                        : new Conv1d(in, out, k[0], st[0], ints(o, "padding", path, 1, new int[] {0})[0], d[0], groups, bias, Generator.global());
            }
            case "Conv2d" -> {
                zerosPadding(o, path);
                int[] k = ints(o, "kernel_size", path, 2, null), st = ints(o, "stride", path, 2, new int[] {1}),
                        d = ints(o, "dilation", path, 2, new int[] {1});
                int in = integer(o, "in_channels", path), out = integer(o, "out_channels", path), groups = integer(o, "groups", path, 1);
                boolean bias = bool(o, "bias", path, true);
                yield o.get("padding") instanceof Json.Str
                        ? new Conv2d(in, out, k, st, string(o, "padding", path), d, groups, bias, Generator.global())
                        : new Conv2d(in, out, k, st, ints(o, "padding", path, 2, new int[] {0}), d, groups, bias, Generator.global());
            }
            case "MaxPool2d" -> {
                noCeilMode(o, path);
                int[] k = ints(o, "kernel_size", path, 2, null);
                yield new MaxPool2d(k, ints(o, "stride", path, 2, k), ints(o, "padding", path, 2, new int[] {0}),
                        ints(o, "dilation", path, 2, new int[] {1}));
            }
            case "AvgPool2d" -> {
                noCeilMode(o, path);
                if (o.get("divisor_override") != null && !(o.get("divisor_override") instanceof Json.Null)) {
                    throw error(path, "(AvgPool2d) has divisor_override, which nn4j does not support; leave it out or null");
                }
                int[] k = ints(o, "kernel_size", path, 2, null);
                yield new AvgPool2d(k, ints(o, "stride", path, 2, k), ints(o, "padding", path, 2, new int[] {0}),
                        bool(o, "count_include_pad", path, true));
            }
            case "AdaptiveAvgPool2d" -> {
                int[] size = ints(o, "output_size", path, 2, null);
                yield new AdaptiveAvgPool2d(size[0], size[1]);
            }
            case "Upsample" -> new Upsample(o.get("size") == null || o.get("size") instanceof Json.Null ? null : ints(o, "size", path),
                    o.get("scale_factor") == null || o.get("scale_factor") instanceof Json.Null ? null : wholeNumbers(o, "scale_factor", path),
                    o.get("mode") == null ? "nearest" : string(o, "mode", path));
            case "SequencePool" -> new SequencePool(string(o, "mode", path));
            default -> throw error(path, "has unknown type \"" + type + "\"; known types: " + String.join(", ", TYPES));
        };
    }

    private static IllegalArgumentException error(String path, String problem) {
        return new IllegalArgumentException("model spec: " + path + " " + problem);
    }

    private static String string(Json.Obj o, String key, String path) {
        if (o.get(key) instanceof Json.Str s) return s.value();
        throw error(path, "needs a string \"" + key + "\"");
    }

    private static int integer(Json.Obj o, String key, String path) {
        if (o.get(key) instanceof Json.Num n && n.isInteger()) return Math.toIntExact(n.longValue());
        throw error(path, "needs an integer \"" + key + "\"");
    }

    /** BatchNorm's momentum: a number, 0.1 when absent, or null (a cumulative average) when given as null. */
    private static Double momentum(Json.Obj o, String path) {
        Json v = o.get("momentum");
        if (v instanceof Json.Null) return null;
        return number(o, "momentum", path, 0.1);
    }

    /** An integer or a list of integers (PyTorch accepts both for shapes). */
    private static int[] ints(Json.Obj o, String key, String path) {
        Json v = o.get(key);
        if (v instanceof Json.Num) return new int[] {integer(o, key, path)};
        if (v instanceof Json.Arr a) {
            int[] out = new int[a.items().size()];
            for (int i = 0; i < out.length; i++) {
                if (!(a.items().get(i) instanceof Json.Num n && n.isInteger())) throw error(path, "needs integers in \"" + key + "\"");
                out[i] = Math.toIntExact(((Json.Num) a.items().get(i)).longValue());
            }
            return out;
        }
        throw error(path, "needs an integer or a list of integers \"" + key + "\"");
    }

    private static int integer(Json.Obj o, String key, String path, int fallback) {
        return o.get(key) == null ? fallback : integer(o, key, path);
    }

    private static double number(Json.Obj o, String key, String path, double fallback) {
        Json v = o.get(key);
        if (v == null) return fallback;
        if (v instanceof Json.Num n) return n.doubleValue();
        throw error(path, "needs a number \"" + key + "\"");
    }

    private static boolean bool(Json.Obj o, String key, String path, boolean fallback) {
        Json v = o.get(key);
        if (v == null) return fallback;
        if (v instanceof Json.Bool b) return b.value();
        throw error(path, "needs true or false for \"" + key + "\"");
    }

    private static Json intArray(int[] values) {
        List<Json> items = new ArrayList<>();
        for (int v : values) items.add(Json.of(v));
        return new Json.Arr(items);
    }

    /**
     * An integer or a list of {@code rank} integers (PyTorch's {@code _pair}/{@code _single}), as {@code rank} values;
     * {@code fallback} (one value or {@code rank}) when the key is absent or null, an error when it is null too.
     */
    private static int[] ints(Json.Obj o, String key, String path, int rank, int[] fallback) {
        Json v = o.get(key);
        int[] given = v == null || v instanceof Json.Null ? fallback : ints(o, key, path);
        if (given == null) throw error(path, "needs \"" + key + "\" (an integer or a list of " + rank + ")");
        if (given.length == rank) return given.clone();
        if (given.length == 1) {
            int[] out = new int[rank];
            java.util.Arrays.fill(out, given[0]);
            return out;
        }
        throw error(path, "needs one or " + rank + " integers in \"" + key + "\" but has " + given.length);
    }

    /** Integers written as {@code 2} or {@code 2.0} (PyTorch stores scale factors as floats), one or a list. */
    private static int[] wholeNumbers(Json.Obj o, String key, String path) {
        Json v = o.get(key);
        List<Json> items = v instanceof Json.Arr a ? a.items() : List.of(v);
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Json.Num n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                throw error(path, "needs whole numbers in \"" + key + "\" (nn4j supports integer scale factors only)");
            }
            out[i] = (int) n.doubleValue();
        }
        return out;
    }

    private static void zerosPadding(Json.Obj o, String path) {
        if (o.get("padding_mode") != null && !(o.get("padding_mode") instanceof Json.Str s && s.value().equals("zeros"))) {
            throw error(path, "has padding_mode " + o.get("padding_mode").write() + "; nn4j supports only \"zeros\"");
        }
    }

    private static void noCeilMode(Json.Obj o, String path) {
        if (bool(o, "ceil_mode", path, false)) throw error(path, "has ceil_mode true; nn4j pools in floor mode only (ceil_mode false)");
    }
}
