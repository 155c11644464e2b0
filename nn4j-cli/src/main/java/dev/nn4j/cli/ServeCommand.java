package dev.nn4j.cli;

import dev.nn4j.backend.Threads;
import dev.nn4j.serve.InferenceServer;
import dev.nn4j.serve.RequestObserver;
import dev.nn4j.serve.ServerConfig;
import dev.nn4j.serve.metrics.MonitoringObserver;
import dev.nn4j.serve.metrics.PrometheusEndpoint;
import dev.nn4j.serve.metrics.ServeMetrics;
import dev.nn4j.serve.security.AccessLog;
import dev.nn4j.serve.security.ApiKeyStore;
import dev.nn4j.serve.security.KeyAuthenticator;
import dev.nn4j.serve.security.PayloadLog;
import dev.nn4j.serve.security.RateLimiter;
import dev.nn4j.serve.security.TlsContexts;
import dev.nn4j.serve.model.ModelRepository;
import dev.nn4j.serve.model.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code nn4j serve}: serves model files over HTTP with the Open Inference Protocol (KServe v2) until SIGTERM or
 * SIGINT, then shuts down gracefully (stops accepting, finishes requests in flight) and exits 0. Wires the server to
 * the security parts (API keys with scopes, per-key rate limit, TLS) and the monitoring parts (Prometheus metrics on
 * the main or a separate port, access log, opt-in masked payload log). Without API keys it listens on loopback only,
 * unless {@code --insecure} says otherwise.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve model files over HTTP (Open Inference Protocol / KServe v2) with dynamic batching and hot reload.",
                "Endpoints: GET /v2/health/live, /v2/health/ready, /v2, /v2/models/NAME[/versions/V][/ready];",
                "POST /v2/models/NAME[/versions/V]/infer, /v2/repository/models/NAME/load, /v1/models/NAME/predict (PNG/JPEG body)."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "NAME=PATH",
            description = {"A model to serve (repeatable). PATH is a model file, or a directory of <version>.safetensors files.",
                    "NAME=FILE repeated serves the files as versions 1, 2, ... The latest version is the default."})
    List<String> models = new ArrayList<>();

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-batch", defaultValue = "32", description = "Most examples per forward pass; 1 turns batching off (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "2", description = "Longest a request waits for others to join its batch (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = {"Threads for the kernels of each forward pass (default: ${DEFAULT-VALUE}).",
            "Requests are parsed and answered on virtual threads beside the batch worker, and a batch of small",
            "examples gains less from splitting than it loses waiting for the slower thread (bench/serve/RESULTS.md);",
            "raise it for large models."})
    int threads;

    @Option(names = "--max-queue", defaultValue = "1024", description = "Examples queued per model before 503 Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-body-bytes", defaultValue = "4194304", description = "Largest request body; larger gets 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-request-batch", defaultValue = "256", description = "Most examples in one request (default: ${DEFAULT-VALUE}).")
    int maxRequestRows;

    @Option(names = "--max-rank", defaultValue = "8", description = "Largest input tensor rank (default: ${DEFAULT-VALUE}).")
    int maxRank;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "Longest a request waits for its answer before 503 (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--drain-ms", defaultValue = "30000", description = "Longest shutdown waits for requests in flight (default: ${DEFAULT-VALUE}).")
    long drainMs;

    @Option(names = "--reload-poll-ms", defaultValue = "1000", description = "How often model files are checked for changes; 0 turns hot reload from files off (default: ${DEFAULT-VALUE}).")
    long reloadPollMs;

    @Option(names = "--insecure", description = "Allow listening on a non-loopback address without API keys.")
    boolean insecure;

    @Option(names = "--keys", paramLabel = "FILE", description = {"API key file (SHA-256 hashes, written by nn4j keygen): every endpoint but",
            "/v2/health/* then needs 'Authorization: Bearer <key>'. Re-read when it changes (revoke a key by deleting its line)."})
    Path keys;

    @Option(names = "--rate-limit", paramLabel = "R[/s]", description = {"Requests per second per API key (429 with Retry-After above it);",
            "without --keys, for all requests together. Default: no limit."})
    String rateLimit;

    @Option(names = "--burst", paramLabel = "N", description = "Requests a key may send at once above its rate (default: the rate rounded up).")
    Integer burst;

    @Option(names = "--metrics-port", paramLabel = "N", description = {"Serve /metrics (Prometheus) without keys on this port only;",
            "without it /metrics is on the main port, behind the keys."})
    Integer metricsPort;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = {"Serve HTTPS: a PEM certificate chain (with --tls-key) or a PKCS#12 file",
            "(password in the environment variable NN4J_TLS_PASSWORD, if any)."})
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key (PKCS#8 or PKCS#1 RSA) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--access-log", paramLabel = "FILE|-", description = {"Append one line per request (time, client network, key id, route, model,",
            "version, status, latency, sizes; never keys or bodies) to FILE, or '-' for stdout. Default: none."})
    String accessLog;

    @Option(names = "--debug-payloads", description = {"Also log request and response bodies next to the access log, masked and truncated.",
            "For debugging only: off by default."})
    boolean debugPayloads;

    @Option(names = "--mask-fields", paramLabel = "a,b", split = ",", description = {"JSON fields the payload log masks besides secret names",
            "(authorization, api_key, apikey, key, token, password, secret). Default: data (the tensors)."})
    List<String> maskFields;

    @Override
    public Integer call() throws InterruptedException, IOException {
        if (!insecure && keys == null && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to serve on " + host + " without API keys: anyone who can reach it could use the models; "
                    + "give --keys FILE (see nn4j keygen), listen on 127.0.0.1, or pass --insecure if a proxy in front of the server authenticates");
        }
        if (tlsKey != null && tlsCert == null) throw new IllegalArgumentException("--tls-key needs --tls-cert");
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1 but was " + threads);
        Threads.set(threads);
        // kernel helpers park at once: a spinning helper would take a core from the request threads, which the
        // machine-load check does not count (they are this process's own)
        if (System.getProperty(Threads.SPIN_PROPERTY) == null) Threads.setSpinMicros(0);
        if ((debugPayloads || maskFields != null) && accessLog == null) {
            throw new IllegalArgumentException("--debug-payloads and --mask-fields need --access-log FILE|- (the payload lines go there)");
        }
        if (maskFields != null && !debugPayloads) throw new IllegalArgumentException("--mask-fields needs --debug-payloads");
        List<ModelSource> sources = models.stream().map(ModelSource::parse).toList();
        ApiKeyStore keyStore = keys == null ? null : ApiKeyStore.load(keys);
        RateLimiter limiter = rateLimiter();
        SSLContext tls = tlsCert == null ? null : TlsContexts.load(tlsCert, tlsKey, tlsPassword());

        List<AutoCloseable> resources = new ArrayList<>();
        AccessLog log = null;
        PayloadLog payloads = null;
        if (accessLog != null) {
            Consumer<String> sink = accessLog.equals("-") ? System.out::println : fileSink(Path.of(accessLog), resources);
            log = new AccessLog(sink);
            if (debugPayloads) payloads = new PayloadLog(sink, maskedFields(), 8, 64);
        }
        ServeMetrics metrics = new ServeMetrics();
        AtomicReference<InferenceServer> running = new AtomicReference<>();
        PrometheusEndpoint scrape = new PrometheusEndpoint(metrics, () -> {
            InferenceServer s = running.get();
            if (s != null) sampleQueues(s.models(), metrics);
        });
        RequestObserver loadFailures = new RequestObserver() {
            @Override
            public void modelLoaded(String model, String version, long nanos, Throwable failure) {
                if (failure != null) System.err.println("nn4j serve: model " + model + " version " + version + " not loaded: "
                        + Main.describe(failure) + " (the previous version, if any, keeps serving)");
            }
        };
        RequestObserver observer = RequestObserver.all(List.of(new MonitoringObserver(metrics, log, payloads), loadFailures));
        ServerConfig config = new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueue, maxBodyBytes, maxRequestRows, maxRank,
                timeoutMs, drainMs, reloadPollMs, metricsPort == null ? -1 : metricsPort, new KeyAuthenticator(keyStore, limiter),
                observer, scrape, tls);
        InferenceServer server;
        try {
            server = InferenceServer.start(config, sources);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
        running.set(server);
        metrics.inFlightLimit(maxQueue * server.models().names().size());
        if (keyStore != null) {
            resources.add(keyStore.watch(Duration.ofSeconds(1),
                    e -> System.err.println("nn4j serve: key file not reloaded, the previous keys stay in force: " + Main.describe(e))));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            server.close();
            stopped.countDown();
        };
        onSignal("TERM", shutdown);
        onSignal("INT", shutdown);
        ModelRepository repo = server.models();
        System.out.println("nn4j serve: listening on " + server.url());
        for (String name : repo.names()) {
            System.out.println("  " + name + ": versions " + String.join(", ", repo.versions(name)) + " (default " + repo.resolve(name, null) + ")");
        }
        long spin = Threads.spinMicros();
        System.out.println("  kernels: " + Threads.get() + (Threads.get() == 1 ? " thread" : " threads")
                + (spin == 0 ? "; waiting kernel threads park at once" : "; waiting kernel threads spin up to " + spin + " µs, then park"));
        String scheme = tls == null ? "http://" : "https://";
        System.out.println("  metrics: " + (server.metricsPort() >= 0
                ? scheme + hostForUrl() + ":" + server.metricsPort() + "/metrics (open)"
                : server.url() + "/metrics" + (keyStore != null ? " (API key required)" : ""))
                + (keyStore != null ? "; API keys: " + keyStore.size() : "; no API keys")
                + (limiter != null ? "; rate limit " + rateLimit + " burst " + limiter.burst() : ""));
        System.out.flush();
        stopped.await();
        closeAll(resources);
        System.out.println("nn4j serve: stopped");
        return 0;
    }

    private RateLimiter rateLimiter() {
        if (rateLimit == null) {
            if (burst != null) throw new IllegalArgumentException("--burst needs --rate-limit");
            return null;
        }
        String r = rateLimit.strip();
        if (r.endsWith("/s")) r = r.substring(0, r.length() - 2);
        double rate;
        try {
            rate = Double.parseDouble(r);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rate-limit expects requests per second such as 50 or 50/s, got '" + rateLimit + "'");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) throw new IllegalArgumentException("--rate-limit must be positive, got '" + rateLimit + "'");
        return new RateLimiter(rate, burst != null ? burst : (int) Math.max(1, Math.ceil(rate)));
    }

    private Set<String> maskedFields() {
        Set<String> fields = new LinkedHashSet<>(PayloadLog.DEFAULT_MASKED);
        if (maskFields != null) {
            fields.remove("data");
            for (String f : maskFields) if (!f.isBlank()) fields.add(f.strip());
        }
        return fields;
    }

    private static char[] tlsPassword() {
        String pw = System.getenv("NN4J_TLS_PASSWORD");
        return pw == null ? null : pw.toCharArray();
    }

    private String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Sets each model's queue-depth gauge to the examples waiting in its versions' batchers. */
    private static void sampleQueues(ModelRepository repo, ServeMetrics metrics) {
        for (String name : repo.names()) {
            int queued = 0;
            for (String v : repo.versions(name)) {
                try {
                    queued += repo.resolve(name, v).batcher().queuedRows();
                } catch (RuntimeException e) {
                    // the version went away between listing and resolving: nothing queued on it any more
                }
            }
            metrics.queueDepth(name, queued);
        }
    }

    /** A line sink appending to {@code file}, flushed per line, closed with {@code resources}. */
    private static Consumer<String> fileSink(Path file, List<AutoCloseable> resources) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        resources.add(w);
        return line -> {
            synchronized (w) {
                try {
                    w.write(line);
                    w.write('\n');
                    w.flush();
                } catch (IOException e) {
                    // a full disk must not fail requests; the metrics still count them
                }
            }
        };
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // closing at shutdown: nothing left to do about it
            }
        }
    }

    /** Runs {@code action} on its own thread when the process gets signal {@code name}, instead of exiting at once. */
    @SuppressWarnings("removal")
    private static void onSignal(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), _ -> Thread.ofPlatform().name("nn4j-shutdown").start(action));
        } catch (IllegalArgumentException e) {
            // the signal does not exist on this platform (INT on some JVMs); the default handling stays
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host '" + host + "'");
        }
    }
}
