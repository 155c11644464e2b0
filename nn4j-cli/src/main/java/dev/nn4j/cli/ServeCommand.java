package dev.nn4j.cli;

import dev.nn4j.serve.InferenceServer;
import dev.nn4j.serve.ServerConfig;
import dev.nn4j.serve.model.ModelRepository;
import dev.nn4j.serve.model.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code nn4j serve}: serves model files over HTTP with the Open Inference Protocol (KServe v2) until SIGTERM or
 * SIGINT, then shuts down gracefully (stops accepting, finishes requests in flight) and exits 0. Without API keys
 * it listens on loopback only, unless {@code --insecure} says otherwise.
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

    @Override
    public Integer call() throws InterruptedException {
        if (!insecure && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to serve on " + host + " without API keys: anyone who can reach it could use the models; "
                    + "listen on 127.0.0.1, or pass --insecure if a proxy in front of the server authenticates");
        }
        List<ModelSource> sources = models.stream().map(ModelSource::parse).toList();
        ServerConfig config = new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueue, maxBodyBytes, maxRequestRows, maxRank,
                timeoutMs, drainMs, reloadPollMs, -1, ServerConfig.defaults().authenticator(), ServerConfig.defaults().observer(), null);
        InferenceServer server = InferenceServer.start(config, sources);
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
        System.out.flush();
        stopped.await();
        System.out.println("nn4j serve: stopped");
        return 0;
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
