package dev.nn4j.serve.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The debug payload log masks configured fields at any depth and truncates tensors and strings. */
class PayloadLogTest {
    private static final String INFER = """
            {"id": "req-7", "inputs": [{"name": "input", "shape": [2, 3], "datatype": "FP32",
              "data": [[0.123456, 0.654321, 0.777777], [0.888888, 0.999999, 0.111111]]}],
             "parameters": {"api_key": "nn4j_SECRETSECRET"}}""";

    @Test
    void tensorDataAndSecretFieldsAreMaskedByDefault() {
        List<String> lines = new ArrayList<>();
        new PayloadLog(lines::add).log("request", "req-7", "application/json", INFER.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, lines.size());
        String line = lines.getFirst();
        for (String value : new String[]{"0.123456", "0.654321", "0.777777", "0.888888", "0.999999", "0.111111", "SECRETSECRET"}) {
            assertFalse(line.contains(value), value + " leaked into: " + line);
        }
        assertEquals("payload request id=\"req-7\" body={\"id\":\"req-7\",\"inputs\":[{\"name\":\"input\",\"shape\":[2,3],"
                + "\"datatype\":\"FP32\",\"data\":\"*** (6 values)\"}],\"parameters\":{\"api_key\":\"***\"}}", line);
    }

    @Test
    void configuredFieldsAreMaskedCaseInsensitivelyAndLongArraysAndStringsAreCut() {
        PayloadLog log = new PayloadLog(s -> {}, Set.of("Patient"), 3, 5);
        String body = """
                {"patient": {"name": "x"}, "data": [1, 2, 3, 4, 5, 6, 7], "note": "abcdefghij", "nested": [[10, 20, 30, 40]]}""";
        assertEquals("{\"patient\":\"***\",\"data\":[1,2,3,\"… (+4 more)\"],\"note\":\"abcde… (+5 chars)\","
                + "\"nested\":[[10,20,30,\"… (+1 more)\"]]}", log.mask("application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nonJsonAndBrokenBodiesAreDescribedNeverWritten() {
        PayloadLog log = new PayloadLog(s -> {});
        byte[] png = "\u0089PNG secret pixels".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("<non-JSON body, " + png.length + " bytes>", log.mask("image/png", png));
        byte[] broken = "{\"data\": [0.31415, ".getBytes(StandardCharsets.UTF_8);
        assertEquals("<unparseable JSON body, " + broken.length + " bytes>", log.mask("application/json", broken));
        assertEquals("<empty>", log.mask("application/json", new byte[0]));
    }

    @Test
    void binaryTensorDataAfterTheJsonHeaderIsCountedNeverWritten() {
        String header = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"UINT8\",\"parameters\":{\"binary_data_size\":4}}]}";
        byte[] body = (header + "SECR").getBytes(StandardCharsets.UTF_8);
        String masked = new PayloadLog(s -> {}).mask(null, body);
        assertFalse(masked.contains("SECR"), masked);
        assertEquals(header + " <+ 4 bytes of binary tensor data>", masked);
        assertEquals("{\"a\":1}", new PayloadLog(s -> {}).mask(null, "{\"a\": 1}\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void responseOutputsAreMaskedToo() {
        String response = """
                {"model_name":"mlp","model_version":"1","outputs":[{"name":"probabilities","shape":[1,3],"datatype":"FP32","data":[0.25,0.5,0.25]}]}""";
        String masked = new PayloadLog(s -> {}).mask(null, response.getBytes(StandardCharsets.UTF_8));
        assertTrue(masked.contains("\"data\":\"*** (3 values)\""), masked);
        assertFalse(masked.contains("0.25"), masked);
    }

    @Test
    void negativeLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PayloadLog(s -> {}, Set.of(), -1, 5));
    }
}
