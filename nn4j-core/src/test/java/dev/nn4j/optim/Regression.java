package dev.nn4j.optim;

import dev.nn4j.Golden;
import dev.nn4j.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * Test fixture: the linear regression {@code L = mean((x Wᵀ + b − y)²)} (x: [6, 4], W: [3, 4], b: [3]) whose data,
 * initial weights and PyTorch parameter trajectory a golden file {@code optim/<name>} holds (see tools/goldens/optim.py).
 */
final class Regression {
    static final int STEPS = 12;
    final Golden golden;
    final Tensor x, y, w, b;

    Regression(String name) {
        golden = Golden.load("optim/" + name);
        x = golden.tensor("x");
        y = golden.tensor("y");
        w = golden.tensor("w0").requiresGrad(true);
        b = golden.tensor("b0").requiresGrad(true);
    }

    List<Tensor> params() {
        return List.of(w, b);
    }

    /** W and b as two param groups, the second with its own options. */
    List<ParamGroup> groups(ParamGroup second) {
        return List.of(new ParamGroup(List.of(w)), second);
    }

    Tensor loss() {
        Tensor d = x.matmul(w.t()).add(b).sub(y);
        return d.mul(d).mean();
    }

    void step(Optimizer opt) {
        opt.zeroGrad();
        loss().backward();
        opt.step();
    }

    /**
     * Steps {@code STEPS} times, comparing W and b with PyTorch's after every step:
     * {@code |a − e| ≤ 1e-6 + 1e-5·|e|} (1e-5 relative; the absolute term only matters for entries near 0).
     */
    static void assertMatchesPyTorch(String name, Function<Regression, Optimizer> make) {
        Regression r = new Regression(name);
        Optimizer opt = make.apply(r);
        Tensor ws = r.golden.tensor("w"), bs = r.golden.tensor("b");
        for (int k = 0; k < STEPS; k++) {
            r.step(opt);
            Golden.assertClose(ws.select(0, k), r.w, 1e-6, 1e-5, name + " W after step " + (k + 1));
            Golden.assertClose(bs.select(0, k), r.b, 1e-6, 1e-5, name + " b after step " + (k + 1));
        }
    }
}
