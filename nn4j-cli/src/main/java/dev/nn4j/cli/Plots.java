package dev.nn4j.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.Function;

/**
 * PNG plots of a training run, drawn off screen (headless): the training curves ({@code curves.png}, with XChart)
 * and the confusion matrix ({@code confusion.png}, with Java2D, see {@link ConfusionMatrixImage}) that
 * {@code nn4j train} leaves in its output directory. Missing parent directories are created; an existing file is
 * replaced.
 */
public final class Plots {
    static {
        // Plots are files, never windows: keep AWT from looking for a display (servers, CI, containers).
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    static final int PANEL_WIDTH = 640, PANEL_HEIGHT = 480;
    static final Color TRAIN = new Color(31, 119, 180), VALIDATION = new Color(255, 127, 14);

    private Plots() {
    }

    /**
     * Writes one {@value #PANEL_WIDTH}·2 × {@value #PANEL_HEIGHT} PNG with two panels side by side: loss per epoch
     * (left) and accuracy in percent per epoch (right), each with a "train" line (blue) and, where rows have
     * validation numbers, a "validation" line (orange). Non-finite values (a diverged epoch) leave a gap.
     */
    public static void trainingCurves(Path png, List<EpochRow> rows) {
        if (rows.isEmpty()) throw new IllegalArgumentException("Plots.trainingCurves: no epochs to plot (" + png + ")");
        XYChart loss = curves("Loss per epoch", "loss", rows, EpochRow::trainLoss, EpochRow::valLoss,
                Styler.LegendPosition.InsideNE);
        XYChart accuracy = curves("Accuracy per epoch", "accuracy (%)", rows, r -> 100 * r.trainAcc(),
                r -> r.valAcc() == null ? null : 100 * r.valAcc(), Styler.LegendPosition.InsideSE);
        BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(accuracy), PANEL_WIDTH, 0, null);
        g.dispose();
        write(png, image);
    }

    /**
     * Writes the confusion matrix as a PNG: {@code matrix[t][p]} counts the examples of true class {@code t}
     * predicted as class {@code p}; rows are true classes from the top, columns predicted classes from the left,
     * each cell shaded by its count and labelled with it; the title gives the total and the accuracy.
     * {@code matrix} must be square with one row per class name and no negative counts.
     */
    public static void confusionMatrix(Path png, int[][] matrix, List<String> classNames) {
        int k = classNames.size();
        if (k == 0) throw new IllegalArgumentException("Plots.confusionMatrix: no classes (" + png + ")");
        if (matrix.length != k) {
            throw new IllegalArgumentException("Plots.confusionMatrix: matrix has " + matrix.length + " rows but there are "
                    + k + " class names");
        }
        for (int t = 0; t < k; t++) {
            if (matrix[t].length != k) {
                throw new IllegalArgumentException("Plots.confusionMatrix: row " + t + " has " + matrix[t].length
                        + " columns but there are " + k + " class names");
            }
            for (int p = 0; p < k; p++) {
                if (matrix[t][p] < 0) {
                    throw new IllegalArgumentException("Plots.confusionMatrix: count [" + t + "][" + p + "] is negative: "
                            + matrix[t][p]);
                }
            }
        }
        write(png, ConfusionMatrixImage.draw(matrix, classNames));
    }

    private static XYChart curves(String title, String yTitle, List<EpochRow> rows,
                                  ToDoubleFunction<EpochRow> train, Function<EpochRow, Double> validation,
                                  Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        List<Double> x = new ArrayList<>(), vx = new ArrayList<>();
        List<Double> y = new ArrayList<>(), vy = new ArrayList<>();
        for (EpochRow r : rows) {
            x.add((double) r.epoch());
            y.add(finiteOrNaN(train.applyAsDouble(r)));
            Double v = validation.apply(r);
            if (v != null) {
                vx.add((double) r.epoch());
                vy.add(finiteOrNaN(v));
            }
        }
        boolean markers = rows.size() <= 40;   // beyond that the dots merge into a thick line
        style(chart.addSeries("train", x, y), TRAIN, markers);
        if (!vx.isEmpty()) style(chart.addSeries("validation", vx, vy), VALIDATION, markers);
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        epochTicks(chart, x.stream().mapToDouble(e -> e).max().orElseThrow() - x.stream().mapToDouble(e -> e).min().orElseThrow());
        return chart;
    }

    /**
     * Whole-epoch tick labels, at most about a dozen: XChart labels every tick it draws, and for integer data it
     * draws one every epoch or two, which overlap beyond ~20 epochs. Ticks then start at 0 so that the labelled
     * multiples of 5, 10, 20, … fall on them.
     */
    private static void epochTicks(XYChart chart, double span) {
        long step = 1;
        for (long base = 1; span / step > 12; base *= 10) {
            for (long m : new long[]{1, 2, 5}) if (span / step > 12) step = m * base;   // 1, 2, 5, 10, 20, 50, …
        }
        long labelStep = step;
        if (labelStep > 1) chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> v == Math.rint(v) && (long) (double) v % labelStep == 0
                ? String.valueOf((long) (double) v) : "");
    }

    /** XChart leaves a gap at NaN but stretches its axis to infinity. */
    private static double finiteOrNaN(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static void style(XYSeries series, Color color, boolean markers) {
        series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setMarkerColor(color);
        series.setLineColor(color);
    }

    private static void write(Path png, BufferedImage image) {
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (!ImageIO.write(image, "png", png.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("Plots: cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
