package dev.nn4j.train;

import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressPrinterTest {
    @Test
    void oneSummaryLinePerEpoch() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", 0.34561);
        m.put("train_accuracy", 0.90125);
        m.put("val_loss", 0.40118);
        m.put("val_accuracy", 0.885);
        m.put("lr", (double) 3e-4f);
        m.put("seconds", 4.24);
        assertEquals("epoch  3/10  train_loss 0.3456  train_accuracy 90.13%  val_loss 0.4012  val_accuracy 88.50%  lr 0.0003  (4.2 s)",
                ProgressPrinter.line(3, 10, m));
        Map<String, Double> few = new LinkedHashMap<>();
        few.put("train_loss", 1.0);
        few.put("lr", 1.0);
        assertEquals("epoch 1/1  train_loss 1.0000  lr 1", ProgressPrinter.line(1, 1, few), "no seconds, no parentheses");
    }

    @Test
    void printsEpochsAndTheStopReasonOfARun() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Generator gen = new Generator(2);
        Module model = Fixtures.mlp(gen);
        new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen)
                .callbacks(new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8)), new EarlyStopping("lr", MonitorMode.MIN, 1, 0, false))
                .fit(Fixtures.shuffled(Fixtures.blobs(30, 1), 10, gen), null, 5);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("epoch 1/5  train_loss \\d\\.\\d{4}  train_accuracy \\d+\\.\\d\\d%  lr 0\\.1  \\(\\d+\\.\\d s\\)"), lines.get(0));
        assertTrue(lines.get(1).startsWith("epoch 2/5  "), lines.get(1));
        assertEquals("stopped: early stopping: lr has not improved on 0.1 (epoch 1) for 1 epoch", lines.get(2));
    }
}
