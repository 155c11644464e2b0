package dev.nn4j.io;

/**
 * A malformed JSON document: the message says what was expected and where (line, column and character offset,
 * or the byte offset for invalid UTF-8), so that a hand-edited spec or a corrupt file header can be fixed.
 */
public final class JsonException extends IllegalArgumentException {
    private final int offset;

    JsonException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** The 0-based character offset of the problem in the text (a byte offset for invalid UTF-8). */
    public int offset() {
        return offset;
    }
}
