package dev.nn4j.serve;

import dev.nn4j.serve.http.OipHandler;
import dev.nn4j.serve.model.BatchSettings;
import dev.nn4j.serve.model.ModelRepository;
import dev.nn4j.serve.model.ModelSource;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The nn4j inference server: Jetty 12 (core handlers, a virtual thread per request) in front of a
 * {@link ModelRepository}, speaking the REST side of the Open Inference Protocol (see {@link OipHandler}).
 * {@snippet :
 * try (InferenceServer server = InferenceServer.start(ServerConfig.defaults().withPort(0),
 *         List.of(ModelSource.parse("mnist=model.safetensors")))) {
 *     System.out.println("serving on port " + server.port());
 *     server.join();
 * }
 * }
 * {@link #close()} shuts down gracefully: readiness turns 503, the listeners stop accepting, requests in flight
 * finish (up to {@code drainTimeoutMs}), then the batchers drain and stop.
 */
public final class InferenceServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector, metricsConnector;
    private final ModelRepository models;
    private final ServerConfig config;
    private final AtomicBoolean closing = new AtomicBoolean();

    private InferenceServer(ServerConfig config, ModelRepository models) {
        this.config = config;
        this.models = models;
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("nn4j-http");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nn4j-request-", 0).factory()));
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = connector(server, http, config);
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        if (config.metrics() != null && config.metricsPort() >= 0) {
            metricsConnector = connector(server, http, config);
            metricsConnector.setHost(config.host());
            metricsConnector.setPort(config.metricsPort());
            server.addConnector(metricsConnector);
        } else {
            metricsConnector = null;
        }
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(new OipHandler(models, config, metricsConnector, closing::get));
        server.setHandler(graceful);
        server.setStopTimeout(config.drainTimeoutMs());
        server.setStopAtShutdown(false);
    }

    /**
     * A plain HTTP/1.1 connector, or HTTPS (TLS, then HTTP/1.1) over {@code config.tls()}. No SNI host check: clients
     * may address the server by IP while the certificate names a host.
     */
    private static ServerConnector connector(Server server, HttpConfiguration http, ServerConfig config) {
        if (config.tls() == null) return new ServerConnector(server, new HttpConnectionFactory(http));
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(config.tls());
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        return new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    }

    /**
     * Loads every model and starts listening.
     *
     * @throws IllegalArgumentException when a model cannot be loaded (the message names the file)
     * @throws IllegalStateException    when the port cannot be bound
     */
    public static InferenceServer start(ServerConfig config, List<ModelSource> sources) {
        ModelRepository models = new ModelRepository(sources,
                new BatchSettings(config.maxBatch(), TimeUnit.MILLISECONDS.toNanos(config.maxWaitMs()), config.maxQueueRows()),
                config.observer(), config.reloadPollMs());
        InferenceServer s = new InferenceServer(config, models);
        try {
            s.server.start();
        } catch (Exception e) {
            models.close();
            try {
                s.server.stop();
            } catch (Exception ignored) {
                // the start failure is the error worth reporting
            }
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** The bound port of the main listener. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The bound port of the separate {@code /metrics} listener, or -1 when metrics share the main port. */
    public int metricsPort() {
        return metricsConnector == null ? -1 : metricsConnector.getLocalPort();
    }

    /** {@code http://host:port}, or {@code https://…} with TLS. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return (config.tls() == null ? "http://" : "https://") + host + ":" + port();
    }

    public ModelRepository models() {
        return models;
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Graceful shutdown, idempotent: readiness turns 503, listeners stop accepting, in-flight requests finish
     * within {@code drainTimeoutMs}, then the model batchers drain and stop.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        try {
            server.stop();
        } catch (Exception e) {
            // stop() reports requests still running at the drain timeout; they are abandoned, as configured
        }
        models.close();
        try {
            models.awaitDrained(Math.max(1, config.drainTimeoutMs()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
