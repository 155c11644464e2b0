package dev.nn4j.io;

/**
 * A model file that cannot be read or written as asked: corrupt, truncated, of an unsupported dtype, or
 * inconsistent with itself. The message names the file (or the source of the bytes) and the problem.
 */
public final class ModelFileException extends RuntimeException {
    private final String file;
    private final String problem;

    public ModelFileException(String file, String problem) {
        this(file, problem, null);
    }

    public ModelFileException(String file, String problem, Throwable cause) {
        super("model file " + file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The path of the file, or a description of where the bytes came from ("resource /golden/io/x.safetensors"). */
    public String file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
