package dev.nn4j.backend;

/** Element-wise functions of two floats, computed with broadcasting by {@link Kernels#binary}. Comparisons give 1 or 0. */
public enum BinaryFn {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE;

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    /** The scalar definition every kernel is tested against. */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> pow(a, b);
            case MAXIMUM -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
            case MINIMUM -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.min(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
        };
    }

    private static float pow(float a, float b) {
        if (b == 2f) return a * a;
        if (b == 1f) return a;
        if (b == 0.5f) return (float) Math.sqrt(a);
        return (float) Math.pow(a, b);
    }
}
