package dev.nn4j.data.sets;

/**
 * Receives download progress, so that a caller can draw a progress bar (the core has no terminal code; the
 * {@code nn4j} command renders these calls). Called on the downloading thread: once with 0 bytes when the
 * response arrives, then after every chunk read; the last call has {@code bytesSoFar} equal to the file's size.
 * A download that then fails its checksum is deleted, and the caller gets an exception.
 */
@FunctionalInterface
public interface DownloadListener {
    /** Ignores progress. */
    DownloadListener NONE = (file, bytesSoFar, totalBytes) -> {};

    /**
     * @param file       the file name being downloaded, e.g. {@code train-images-idx3-ubyte.gz}
     * @param bytesSoFar bytes received so far
     * @param totalBytes the size announced by the server ({@code Content-Length}), or -1 when it announced none
     */
    void progress(String file, long bytesSoFar, long totalBytes);
}
