package dev.nn4j.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON value (RFC 8259) as a small sealed family of records, with a strict parser and a compact writer.
 * It exists because the core has no dependencies; it is used for safetensors headers and architecture specs,
 * and deliberately is not a general-purpose data binder.
 *
 * <p>Objects keep their members in document order and reject duplicate keys. Numbers keep their literal text,
 * so an integer such as a byte offset is never rounded through a {@code double}.
 * {@snippet :
 * Json.Obj doc = (Json.Obj) Json.parse("{\"dtype\": \"F32\", \"shape\": [2, 3]}");
 * Json shape = doc.get("shape");           // Json.Arr of two Json.Num
 * String text = doc.write();               // {"dtype":"F32","shape":[2,3]}
 * }
 * Reference: <a href="https://www.rfc-editor.org/rfc/rfc8259">RFC 8259</a>.
 */
public sealed interface Json {

    /** Parses one JSON document; anything but whitespace after it is an error. */
    static Json parse(String text) {
        return JsonParser.parse(text);
    }

    /** Decodes strict UTF-8 (malformed bytes are an error naming their offset), then parses. */
    static Json parse(byte[] utf8) {
        return JsonParser.parse(JsonParser.decodeUtf8(utf8));
    }

    /** Compact JSON text: no whitespace, non-ASCII characters written as themselves. */
    default String write() {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(this, out);
        return out.toString();
    }

    /** "object", "array", "string", "number", "boolean" or "null", for error messages. */
    default String typeName() {
        return switch (this) {
            case Obj o -> "object";
            case Arr a -> "array";
            case Str s -> "string";
            case Num n -> "number";
            case Bool b -> "boolean";
            case Null n -> "null";
        };
    }

    static Str of(String value) {
        return new Str(value);
    }

    static Num of(long value) {
        return new Num(Long.toString(value));
    }

    /** A number from a finite double (JSON has no NaN or infinity). */
    static Num of(double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("JSON cannot represent the number " + value);
        return new Num(Double.toString(value));
    }

    static Bool of(boolean value) {
        return new Bool(value);
    }

    /** An object with the members of {@code members} in its iteration order. */
    record Obj(Map<String, Json> members) implements Json {
        public Obj {
            LinkedHashMap<String, Json> copy = new LinkedHashMap<>();
            members.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "JSON object key"), Objects.requireNonNull(v, "JSON value of " + k)));
            members = Collections.unmodifiableMap(copy);
        }

        /** The member named {@code key}, or null when absent. */
        public Json get(String key) {
            return members.get(key);
        }
    }

    record Arr(List<Json> items) implements Json {
        public Arr {
            items = Collections.unmodifiableList(new ArrayList<>(items));
            for (Json j : items) Objects.requireNonNull(j, "JSON array item");
        }
    }

    record Str(String value) implements Json {
        public Str {
            Objects.requireNonNull(value, "JSON string");
        }
    }

    /** A number kept as its JSON literal text ({@code -12}, {@code 0.5}, {@code 1e-3}). */
    record Num(String text) implements Json {
        public Num {
            if (!JsonParser.isNumberLiteral(text)) throw new IllegalArgumentException("not a JSON number literal: \"" + text + "\"");
        }

        /** True when the literal has neither a fraction nor an exponent. */
        public boolean isInteger() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        /** The exact value as a long; an error for fractions, exponents and values outside the long range. */
        public long longValue() {
            if (!isInteger()) throw new ArithmeticException("JSON number " + text + " is not an integer");
            try {
                return new BigDecimal(text).longValueExact();
            } catch (ArithmeticException e) {
                throw new ArithmeticException("JSON number " + text + " does not fit in a long");
            }
        }

        public double doubleValue() {
            return Double.parseDouble(text);
        }
    }

    record Bool(boolean value) implements Json {}

    record Null() implements Json {}
}
