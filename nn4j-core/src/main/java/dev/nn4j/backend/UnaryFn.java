package dev.nn4j.backend;

/** Element-wise functions of one float, computed by {@link Kernels#unary}; their derivatives live in the autograd switch. */
public enum UnaryFn {
    NEG, ABS, SIGN, EXP, LOG, SQRT, RSQRT, RECIPROCAL, SIN, COS, TANH, SIGMOID, RELU, GELU, ERF;

    /** The scalar definition every kernel is tested against. */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> (float) (1.0 / Math.sqrt(x));
            case RECIPROCAL -> 1f / x;
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case RELU -> x <= 0 ? 0f : x; // NaN stays NaN, as in PyTorch
            case GELU -> (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0))));
            case ERF -> (float) erf(x);
        };
    }

    /**
     * Error function to about 1e-15 relative (W. J. Cody's rational approximations, as in most libms);
     * Java has no {@code Math.erf}.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 0.5) {
            double t = x * x;
            double num = (((1.85777706184603153e-1 * t + 3.16112374387056560e0) * t + 1.13864154151050156e2) * t
                    + 3.77485237685302021e2) * t + 3.20937758913846947e3;
            double den = (((t + 2.36012909523441209e1) * t + 2.44024637934444173e2) * t + 1.28261652607737228e3) * t
                    + 2.84423683343917062e3;
            return x * num / den;
        } else if (ax < 4.0) {
            double num = (((((((2.15311535474403846e-8 * ax + 5.64188496988670089e-1) * ax + 8.88314979438837594e0) * ax
                    + 6.61191906371416295e1) * ax + 2.98635138197400131e2) * ax + 8.81952221241769090e2) * ax
                    + 1.71204761263407058e3) * ax + 2.05107837782607147e3) * ax + 1.23033935479799725e3;
            double den = (((((((ax + 1.57449261107098347e1) * ax + 1.17693950891312499e2) * ax + 5.37181101862009858e2) * ax
                    + 1.62138957456669019e3) * ax + 3.29079923573345963e3) * ax + 4.36261909014324716e3) * ax
                    + 3.43936767414372164e3) * ax + 1.23033935480374942e3;
            r = Math.exp(-ax * ax) * num / den;
        } else {
            double z = 1.0 / (ax * ax);
            double num = ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z
                    + 1.25781726111229246e-1) * z + 1.60837851487422766e-2) * z + 6.58749161529837803e-4;
            double den = ((((z + 2.56852019228982242e0) * z + 1.87295284992346725e0) * z + 5.27905102951428412e-1) * z
                    + 6.05183413124413191e-2) * z + 2.33520497626869185e-3;
            r = Math.exp(-ax * ax) / ax * (0.5641895835477563 - z * num / den);
        }
        double erf = 1.0 - r;
        return x < 0 ? -erf : erf;
    }
}
