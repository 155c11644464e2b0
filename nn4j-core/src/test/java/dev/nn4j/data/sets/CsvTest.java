package dev.nn4j.data.sets;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvTest {
    private static List<Csv.Row> read(String text) {
        return Csv.read(new StringReader(text), "t.csv");
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaksPerRfc4180() {
        List<Csv.Row> rows = read("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n1,,\"\"\r\nlast,row,here");
        assertEquals(new Csv.Row(1, List.of("a", "b", "c")), rows.get(0));
        assertEquals(new Csv.Row(2, List.of("x, y", "say \"hi\"", "two\r\nlines")), rows.get(1));
        // the record after a quoted line break starts on line 4
        assertEquals(new Csv.Row(4, List.of("1", "", "")), rows.get(2));
        assertEquals(new Csv.Row(5, List.of("last", "row", "here")), rows.get(3));
        assertEquals(4, rows.size());
    }

    @Test
    void lfEndingsBlankLinesAByteOrderMarkAndUntrimmedSpaces() {
        List<Csv.Row> rows = read("\uFEFFa,b\n\n 1 ,2\n");
        assertEquals(List.of(new Csv.Row(1, List.of("a", "b")), new Csv.Row(3, List.of(" 1 ", "2"))), rows);
    }

    @Test
    void malformedQuotingNamesTheLine() {
        assertEquals("t.csv: line 2: a quoted field is never closed",
                assertThrows(IllegalArgumentException.class, () -> read("a\n\"open\nstill open")).getMessage());
        assertEquals("t.csv: line 2, field 2: text after the closing quote of a quoted field",
                assertThrows(IllegalArgumentException.class, () -> read("a,b\n1,\"x\"y")).getMessage());
        assertEquals("t.csv: line 3, field 1: a quote inside an unquoted field (enclose the field in quotes and double the quote)",
                assertThrows(IllegalArgumentException.class, () -> read("a\n1\nab\"c")).getMessage());
    }
}
