package dev.nn4j.cli;

/**
 * One epoch's numbers as the plots and reports see them: training loss and accuracy, and validation loss and
 * accuracy when the run has a validation split ({@code null} otherwise). Accuracies are fractions in [0, 1].
 */
public record EpochRow(int epoch, double trainLoss, double trainAcc, Double valLoss, Double valAcc) {
    public EpochRow {
        checkFraction("trainAcc", trainAcc, epoch);
        if (valAcc != null) checkFraction("valAcc", valAcc, epoch);
    }

    /** A row without validation numbers. */
    public EpochRow(int epoch, double trainLoss, double trainAcc) {
        this(epoch, trainLoss, trainAcc, null, null);
    }

    private static void checkFraction(String name, double value, int epoch) {
        if (value < 0 || value > 1) {   // NaN passes: a diverged epoch is still a row
            throw new IllegalArgumentException("EpochRow: " + name + " must be a fraction in [0, 1] but was " + value
                    + " (epoch " + epoch + ")");
        }
    }
}
