package dev.nn4j.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict recursive-descent JSON parser (RFC 8259): no comments, no trailing commas, no single quotes, no NaN,
 * no leading zeros, no raw control characters or unpaired surrogates in strings, no duplicate object keys.
 * Nesting is limited to {@value #MAX_DEPTH} levels so that a hostile document cannot overflow the stack.
 */
final class JsonParser {
    static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;
    private int depth;

    private JsonParser(String text) {
        this.text = text;
    }

    static Json parse(String text) {
        JsonParser p = new JsonParser(text);
        p.skipWhitespace();
        Json value = p.value();
        p.skipWhitespace();
        if (p.pos < text.length()) throw p.error("unexpected " + p.describe(p.pos) + " after the end of the JSON value");
        return value;
    }

    /** Strict UTF-8 decoding: overlong forms, encoded surrogates and truncated sequences are errors. */
    static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) {
            int at = in.position();
            throw new JsonException("invalid UTF-8 at byte offset " + at + " (0x" + String.format("%02x", bytes[at] & 0xff) + ")", at);
        }
        return out.flip().toString();
    }

    /** True when {@code s} is exactly one JSON number literal. */
    static boolean isNumberLiteral(String s) {
        if (s == null || s.isEmpty()) return false;
        JsonParser p = new JsonParser(s);
        return p.scanNumber() && p.pos == s.length();
    }

    private Json value() {
        if (pos >= text.length()) throw error("unexpected end of input, expected a JSON value");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new Json.Str(string());
            case 't' -> literal("true", new Json.Bool(true));
            case 'f' -> literal("false", new Json.Bool(false));
            case 'n' -> literal("null", new Json.Null());
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected " + describe(pos) + ", expected a JSON value");
            }
        };
    }

    private Json object() {
        int start = pos;
        enter();
        pos++; // '{'
        Map<String, Json> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new Json.Obj(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key in the object starting at offset " + start + " but found " + describe(pos));
            int keyAt = pos;
            String key = string();
            if (members.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\" in the object starting at offset " + start);
            }
            skipWhitespace();
            expect(':', "after the object key \"" + key + "\"");
            skipWhitespace();
            members.put(key, value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in the object starting at offset " + start + " but found " + describe(pos));
            }
        }
        depth--;
        return new Json.Obj(members);
    }

    private Json array() {
        int start = pos;
        enter();
        pos++; // '['
        List<Json> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new Json.Arr(items);
        }
        while (true) {
            skipWhitespace();
            items.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in the array starting at offset " + start + " but found " + describe(pos));
            }
        }
        depth--;
        return new Json.Arr(items);
    }

    private String string() {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) throw error("raw control character " + describe(pos) + " in a string; write it as an escape");
            if (c == '\\') {
                sb.append(escape());
                continue;
            }
            if (Character.isHighSurrogate(c) && pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
                sb.append(c).append(text.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (Character.isSurrogate(c)) throw error("unpaired surrogate " + describe(pos) + " in a string");
            sb.append(c);
            pos++;
        }
    }

    /** One escape sequence at {@code pos} (the backslash); \\u surrogates must come as a high-low pair. */
    private String escape() {
        int at = pos;
        if (pos + 1 >= text.length()) throw error("unterminated escape sequence");
        char e = text.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'u':
                char u = hex4();
                if (Character.isHighSurrogate(u)) {
                    if (text.startsWith("\\u", pos)) {
                        pos += 2;
                        char low = hex4();
                        if (Character.isLowSurrogate(low)) return new String(new char[] {u, low});
                    }
                    pos = at;
                    throw error("high surrogate \\u" + hex(u) + " is not followed by a \\u escape of a low surrogate");
                }
                if (Character.isLowSurrogate(u)) {
                    pos = at;
                    throw error("low surrogate \\u" + hex(u) + " without a preceding high surrogate");
                }
                return String.valueOf(u);
            default:
                pos = at;
                throw error("invalid escape sequence \\" + e);
        }
    }

    private char hex4() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char c = pos + i < text.length() ? text.charAt(pos + i) : '\0';
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                pos += i;
                throw error("\\u escape needs 4 hex digits but found " + describe(pos));
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Json number() {
        int start = pos;
        if (!scanNumber()) {
            String bad = text.substring(start, Math.min(pos + 1, text.length()));
            pos = start;
            throw error("malformed number \"" + bad + "\"");
        }
        return new Json.Num(text.substring(start, pos));
    }

    /** Advances over -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and says whether it was well formed. */
    private boolean scanNumber() {
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) return false; // leading zero
        } else if (!digits()) {
            return false;
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) return false;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!digits()) return false;
        }
        return true;
    }

    private boolean digits() {
        int start = pos;
        while (isDigit(peek())) pos++;
        return pos > start;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Json literal(String word, Json value) {
        if (!text.startsWith(word, pos)) throw error("unexpected " + describe(pos) + ", expected a JSON value");
        pos += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }

    private void expect(char c, String where) {
        if (peek() != c) throw error("expected '" + c + "' " + where + " but found " + describe(pos));
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            pos++;
        }
    }

    private String describe(int at) {
        if (at >= text.length()) return "end of input";
        char c = text.charAt(at);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex(c);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private JsonException error(String problem) {
        int at = Math.min(pos, text.length());
        int line = 1, col = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new JsonException("JSON error at line " + line + ", column " + col + " (offset " + at + "): " + problem, at);
    }
}
