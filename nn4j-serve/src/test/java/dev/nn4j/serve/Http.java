package dev.nn4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/** A loopback HTTP client for the server tests: JSON in, status, headers and JSON out. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A response: status, headers and body. */
    record Reply(int status, HttpResponse<byte[]> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + new String(raw.body()), e);
            }
        }

        String error() {
            return json().path("error").asText();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String body() {
            return new String(raw.body());
        }
    }

    private Http() {}

    static Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static Reply post(String url, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b);
    }

    static Reply postJson(String url, String json) {
        return post(url, "application/json", json.getBytes());
    }

    static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An infer request body for examples of 64 values, shape {@code [B, 1, 8, 8]}, flat data. */
    static String inferBody(String id, float[]... examples) {
        StringBuilder data = new StringBuilder();
        for (float[] e : examples) for (float v : e) data.append(data.isEmpty() ? "" : ",").append(v);
        return String.format(Locale.ROOT, "{%s\"inputs\":[{\"name\":\"input\",\"shape\":[%d,1,8,8],\"datatype\":\"FP32\",\"data\":[%s]}]}",
                id == null ? "" : "\"id\":\"" + id + "\",", examples.length, data);
    }

    /** The named output's data of an infer response as floats. */
    static float[] output(JsonNode response, String name) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals(name)) {
                float[] v = new float[o.get("data").size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) o.get("data").get(i).asDouble();
                return v;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }
}
