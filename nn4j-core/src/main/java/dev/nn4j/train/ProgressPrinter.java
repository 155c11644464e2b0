package dev.nn4j.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Plain-text progress for logs and pipes (not a live bar): one summary line per epoch, a line when a run resumes,
 * and the reason when training stops early.
 * <pre>
 * resumed after epoch 2
 * epoch  3/10  train_loss 0.3456  train_accuracy 90.12%  val_loss 0.4012  val_accuracy 88.50%  lr 0.001  (4.2 s)
 * stopped: early stopping: val_loss has not improved on 0.2571 (epoch 5) for 3 epochs
 * </pre>
 * Losses print with 4 decimals, metrics whose name contains {@code accuracy} as percentages, {@code lr} as its
 * shortest plain decimal, and {@code seconds} last in parentheses.
 */
public final class ProgressPrinter implements Callback {
    private final PrintStream out;

    public ProgressPrinter(PrintStream out) {
        if (out == null) throw new IllegalArgumentException("ProgressPrinter: out must not be null");
        this.out = out;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        if (trainer.epoch() > 0) out.println("resumed after epoch " + trainer.epoch());
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> metrics) {
        out.println(line(epoch, trainer.epochs(), metrics));
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        if (history.stopped()) out.println("stopped: " + history.stopReason());
    }

    /** The summary line of one epoch. */
    public static String line(int epoch, int epochs, Map<String, Double> metrics) {
        int width = Integer.toString(epochs).length();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %" + width + "d/%d", epoch, epochs));
        metrics.forEach((name, v) -> {
            if (name.equals(Trainer.SECONDS)) return;
            sb.append("  ").append(name).append(' ');
            if (name.contains("accuracy")) sb.append(String.format(Locale.ROOT, "%.2f%%", 100 * v));
            else if (name.equals(Trainer.LR)) sb.append(plain(v));
            else sb.append(String.format(Locale.ROOT, "%.4f", v));
        });
        Double seconds = metrics.get(Trainer.SECONDS);
        if (seconds != null) sb.append(String.format(Locale.ROOT, "  (%.1f s)", seconds));
        return sb.toString();
    }

    /** The shortest decimal of the float32 value, without exponent: 0.001, 0.0003, 1. */
    private static String plain(double v) {
        float f = (float) v;
        if (!Float.isFinite(f)) return Float.toString(f);
        return new java.math.BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
    }
}
