package dev.nn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws a confusion matrix with Java2D: one cell per (true, predicted) pair, its count written in it, shaded from
 * white to dark blue by √(count / largest count) so that the few errors off the diagonal still show. Rows are
 * true classes from the top, columns predicted classes from the left, as scikit-learn draws them. Drawn by hand
 * because XChart's heat map writes every value in one colour (unreadable on dark or light cells), prints
 * counts as decimals, shades linearly and runs its y axis bottom-up.
 */
final class ConfusionMatrixImage {
    /** matplotlib's "Blues" colour map, light to dark. */
    private static final Color[] BLUES = {new Color(247, 251, 255), new Color(198, 219, 239),
            new Color(107, 174, 214), new Color(33, 113, 181), new Color(8, 48, 107)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ConfusionMatrixImage() {
    }

    static BufferedImage draw(int[][] matrix, List<String> classNames) {
        int k = classNames.size();
        int cell = Math.clamp(560 / k, 28, 80);
        long total = 0, correct = 0, max = 1;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                total += matrix[t][p];
                max = Math.max(max, matrix[t][p]);
            }
            correct += matrix[t][t];
        }

        String title = total == 0 ? "Confusion matrix"
                : String.format(Locale.ROOT, "Confusion matrix (n = %,d, accuracy %.2f%%)", total, 100.0 * correct / total);

        // Layout: title on top, class names left of the rows and under the columns (rotated 45°), axis titles;
        // the block is centred when the title is wider than the matrix.
        FontMetrics labels = metrics(LABEL);
        int longest = 0;
        for (String name : classNames) longest = Math.max(longest, labels.stringWidth(name));
        int blockWidth = 40 + longest + 10 + k * cell + 30;
        int width = Math.max(blockWidth, metrics(TITLE).stringWidth(title) + 40);
        int left = (width - blockWidth) / 2 + 40 + longest + 10, top = 64;
        int bottom = 8 + (int) Math.ceil((longest + labels.getAscent()) * Math.sqrt(0.5)) + 40;
        int height = top + k * cell + bottom;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        g.setColor(Color.BLACK);
        centered(g, TITLE, title, width / 2, 28);

        // Cells with their counts; the font shrinks until the widest count fits a cell.
        Font count = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, cell * 2 / 5));
        while (count.getSize() > 8 && metrics(count).stringWidth(Long.toString(max)) > cell - 12) {
            count = count.deriveFont(count.getSize2D() - 1);
        }
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                double shade = Math.sqrt((double) matrix[t][p] / max);
                int x = left + p * cell, y = top + t * cell;
                g.setColor(blues(shade));
                g.fillRect(x, y, cell, cell);
                g.setColor(shade > 0.6 ? Color.WHITE : Color.BLACK);
                centered(g, count, Integer.toString(matrix[t][p]), x + cell / 2, y + cell / 2 + metrics(count).getAscent() / 2 - 1);
            }
        }
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i <= k; i++) {
            g.drawLine(left, top + i * cell, left + k * cell, top + i * cell);
            g.drawLine(left + i * cell, top, left + i * cell, top + k * cell);
        }

        // Class names: right-aligned beside each row; under each column, rotated so that long names fit.
        g.setColor(Color.BLACK);
        g.setFont(LABEL);
        for (int i = 0; i < k; i++) {
            String name = classNames.get(i);
            g.drawString(name, left - 8 - labels.stringWidth(name), top + i * cell + cell / 2 + labels.getAscent() / 2 - 1);
            AffineTransform saved = g.getTransform();
            g.translate(left + i * cell + cell / 2 + labels.getAscent() / 2, top + k * cell + 8);
            g.rotate(Math.toRadians(-45));
            g.drawString(name, -labels.stringWidth(name), 0);
            g.setTransform(saved);
        }
        centered(g, AXIS, "predicted class", left + k * cell / 2, height - 14);
        AffineTransform saved = g.getTransform();
        g.translate(left - longest - 28, top + k * cell / 2);
        g.rotate(Math.toRadians(-90));
        centered(g, AXIS, "true class", 0, 0);
        g.setTransform(saved);
        g.dispose();
        return image;
    }

    /** The colour map at {@code s} in [0, 1], interpolated linearly between its stops. */
    private static Color blues(double s) {
        double at = Math.clamp(s, 0, 1) * (BLUES.length - 1);
        int i = Math.min((int) at, BLUES.length - 2);
        double f = at - i;
        Color a = BLUES[i], b = BLUES[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static void centered(Graphics2D g, Font font, String text, int cx, int baseline) {
        g.setFont(font);
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }
}
