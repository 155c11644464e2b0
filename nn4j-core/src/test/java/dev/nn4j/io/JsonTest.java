package dev.nn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesEveryKindOfValueInDocumentOrder() {
        Json doc = Json.parse(" {\"z\": [1, -2.5, 3e2, true, false, null], \"a\": {\"s\": \"x\"}, \"m\": {}} \n");
        Json.Obj obj = assertInstanceOf(Json.Obj.class, doc);
        assertEquals(List.of("z", "a", "m"), List.copyOf(obj.members().keySet()));
        Json.Arr arr = assertInstanceOf(Json.Arr.class, obj.get("z"));
        assertEquals(List.of(new Json.Num("1"), new Json.Num("-2.5"), new Json.Num("3e2"), new Json.Bool(true), new Json.Bool(false), new Json.Null()), arr.items());
        assertEquals(new Json.Str("x"), ((Json.Obj) obj.get("a")).get("s"));
        assertEquals(Map.of(), ((Json.Obj) obj.get("m")).members());
        assertEquals(300.0, ((Json.Num) arr.items().get(2)).doubleValue());
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() {
        Json.Str s = (Json.Str) Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC \\ud83d\\ude00 raw é😀\"");
        assertEquals("q\" b\\ s/ \b\f\n\r\t é€ 😀 raw é😀", s.value());
    }

    @Test
    void keepsIntegersExactBeyondDoublePrecision() {
        Json.Num n = (Json.Num) Json.parse("9223372036854775807");
        assertEquals(Long.MAX_VALUE, n.longValue());
        assertTrue(n.isInteger());
        assertThrows(ArithmeticException.class, () -> ((Json.Num) Json.parse("9223372036854775808")).longValue());
        assertThrows(ArithmeticException.class, () -> ((Json.Num) Json.parse("2.0")).longValue());
        assertThrows(ArithmeticException.class, () -> ((Json.Num) Json.parse("2e0")).longValue());
        assertEquals(-7, ((Json.Num) Json.parse("-7")).longValue());
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                 | 0 | unexpected end of input, expected a JSON value",
            "`{\"a\":1,}`       | 7 | expected a string key in the object starting at offset 0 but found '}'",
            "`[1,]`             | 3 | unexpected ']', expected a JSON value",
            "`[1 2]`            | 3 | expected ',' or ']' in the array starting at offset 0 but found '2'",
            "`{\"a\" 1}`        | 5 | expected ':' after the object key \"a\" but found '1'",
            "`{\"a\":1 \"b\":2}`| 7 | expected ',' or '}' in the object starting at offset 0 but found '\"'",
            "`{\"a\":1,\"a\":2}`| 7 | duplicate key \"a\" in the object starting at offset 0",
            "`{'a':1}`          | 1 | expected a string key in the object starting at offset 0 but found '''",
            "`01`               | 0 | malformed number \"01\"",
            "`-`                | 0 | malformed number \"-\"",
            "`1.`               | 0 | malformed number \"1.\"",
            "`1e+`              | 0 | malformed number \"1e+\"",
            "`NaN`              | 0 | unexpected 'N', expected a JSON value",
            "`tru`              | 0 | unexpected 't', expected a JSON value",
            "`1 2`              | 2 | unexpected '2' after the end of the JSON value",
            "`\"abc`            | 0 | unterminated string",
            "`\"a\\x\"`         | 2 | invalid escape sequence \\x",
            "`\"\\u12G4\"`      | 5 | \\u escape needs 4 hex digits but found 'G'",
            "`\"\\u12\"`        | 5 | \\u escape needs 4 hex digits but found '\"'",
            "`\"\\ud83d\"`      | 1 | high surrogate \\uD83D is not followed by a \\u escape of a low surrogate",
            "`\"\\ud83d\\u0041\"` | 1 | high surrogate \\uD83D is not followed by a \\u escape of a low surrogate",
            "`\"\\ude00\"`      | 1 | low surrogate \\uDE00 without a preceding high surrogate",
            "`[1] // comment`   | 4 | unexpected '/' after the end of the JSON value",
    })
    void rejectsMalformedDocumentsNamingThePosition(String text, int offset, String problem) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(offset, e.offset(), e.getMessage());
        assertEquals("JSON error at line 1, column " + (offset + 1) + " (offset " + offset + "): " + problem, e.getMessage());
    }

    @Test
    void countsLinesAndColumnsAcrossNewlines() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
        assertEquals("JSON error at line 3, column 7 (offset 18): expected ':' after the object key \"b\" but found '2'", e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersAndLoneSurrogatesInStrings() {
        JsonException tab = assertThrows(JsonException.class, () -> Json.parse("\"a\tb\""));
        assertTrue(tab.getMessage().endsWith("raw control character U+0009 in a string; write it as an escape"), tab.getMessage());
        JsonException lone = assertThrows(JsonException.class, () -> Json.parse("\"a\uD800b\""));
        assertTrue(lone.getMessage().endsWith("unpaired surrogate U+D800 in a string"), lone.getMessage());
    }

    @Test
    void limitsNestingDepth() {
        String deep = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        assertInstanceOf(Json.Arr.class, Json.parse(deep));
        String tooDeep = "[".repeat(JsonParser.MAX_DEPTH + 1) + "]".repeat(JsonParser.MAX_DEPTH + 1);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(tooDeep));
        assertTrue(e.getMessage().endsWith("nesting deeper than 512 levels"), e.getMessage());
    }

    @Test
    void rejectsMalformedUtf8NamingTheByte() {
        byte[] bytes = {'"', 'a', (byte) 0xC3, '"'}; // 0xC3 starts a 2-byte sequence but '"' is no continuation byte
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(bytes));
        assertEquals("invalid UTF-8 at byte offset 2 (0xc3)", e.getMessage());
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'}; // '/' encoded in two bytes
        assertEquals(1, assertThrows(JsonException.class, () -> Json.parse(overlong)).offset());
        assertEquals(new Json.Str("é😀"), Json.parse("\"é😀\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesCompactlyAndEscapesWhatJsonRequires() {
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("b", new Json.Arr(List.of(Json.of(1), Json.of(-2.5), Json.of(true), new Json.Null())));
        m.put("a\"\\", Json.of("line\nfeed\ttab\u0001 é😀 /"));
        m.put("e", new Json.Obj(Map.of()));
        String text = new Json.Obj(m).write();
        assertEquals("{\"b\":[1,-2.5,true,null],\"a\\\"\\\\\":\"line\\nfeed\\ttab\\u0001 é😀 /\",\"e\":{}}", text);
        assertEquals(new Json.Obj(m), Json.parse(text));
    }

    @Test
    void writerRejectsWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.of("a\uDC00").write());
        assertThrows(IllegalArgumentException.class, () -> Json.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.of(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new Json.Num("1."));
        assertFalse(new Json.Num("1e5").isInteger());
        assertEquals("1.0E-5", Json.of(1e-5).write()); // Java's exponent form is valid JSON
        assertEquals(1e-5, ((Json.Num) Json.parse(Json.of(1e-5).write())).doubleValue());
    }
}
