package dev.nn4j.serve;

import java.time.Instant;

/**
 * What the server knows about one finished HTTP request, handed to {@link RequestObserver#finished}: enough for an
 * access log and request metrics, and deliberately no payload and no credential.
 *
 * @param time          when the request arrived
 * @param method        HTTP method
 * @param endpoint      the route template, e.g. {@code /v2/models/{name}/infer} (bounded, fit for a metric label)
 * @param keyId         the id of the API key that was accepted, {@code "-"} without keys, {@code null} when refused
 * @param model         the model addressed, or {@code null}
 * @param version       the model version that answered (or was asked for), or {@code null}
 * @param status        HTTP status sent
 * @param latencyNanos  from arrival to the response being handed to the connection
 * @param queueNanos    time spent waiting in the model's batch queue (0 when no model ran)
 * @param computeNanos  time of the forward pass of the batch that carried this request (0 when no model ran)
 * @param requestBytes  body bytes read
 * @param responseBytes body bytes written
 * @param clientAddress the client's IP address as seen by the server, untruncated (the logger truncates)
 * @param error         the error message sent, or {@code null} on success
 */
public record RequestRecord(Instant time, String method, String endpoint, String keyId, String model, String version,
                            int status, long latencyNanos, long queueNanos, long computeNanos,
                            long requestBytes, long responseBytes, String clientAddress, String error) {}
