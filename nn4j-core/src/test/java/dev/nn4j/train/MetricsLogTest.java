package dev.nn4j.train;

import dev.nn4j.io.Json;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Sgd;
import dev.nn4j.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricsLogTest {
    @TempDir
    Path dir;

    private static History.Epoch epoch(int n, double... values) {
        String[] names = {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"};
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) m.put(names[i], values[i]);
        return new History.Epoch(n, m);
    }

    @Test
    void writesOneRowPerEpochAsCsvAndJsonLines() {
        List<History.Epoch> epochs = List.of(epoch(1, 0.5f, 0.75f, 0.625f, 0.7f, 0.001f, 2.5f), epoch(2, 0.25f, 0.875f, Double.NaN, 0.8f, 0.001f, 3f));
        assertEquals("""
                epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds
                1,0.5,0.75,0.625,0.7,0.001,2.5
                2,0.25,0.875,,0.8,0.001,3
                """, MetricsLog.csv(epochs, List.of("train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds")));
        assertEquals("""
                {"epoch":1,"train_loss":0.5,"train_accuracy":0.75,"val_loss":0.625,"val_accuracy":0.7,"lr":0.001,"seconds":2.5}
                {"epoch":2,"train_loss":0.25,"train_accuracy":0.875,"val_loss":null,"val_accuracy":0.8,"lr":0.001,"seconds":3}
                """, MetricsLog.jsonLines(epochs));
    }

    @Test
    void aRealRunLogsItsHistoryAndEveryLineIsValidJson() throws Exception {
        Path csv = dir.resolve("metrics.csv"), jsonl = dir.resolve("logs/metrics.jsonl");
        Files.writeString(csv, "left over from an older run\n");
        Generator gen = new Generator(2);
        Module model = Fixtures.mlp(gen);
        History h = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen).callbacks(new MetricsLog(csv, jsonl))
                .fit(Fixtures.shuffled(Fixtures.blobs(30, 1), 10, gen), null, 3);

        List<String> rows = Files.readAllLines(csv);
        assertEquals("epoch,train_loss,train_accuracy,lr,seconds", rows.getFirst());
        assertEquals(4, rows.size());
        for (int e = 0; e < 3; e++) {
            String[] cells = rows.get(e + 1).split(",");
            assertEquals(Integer.toString(e + 1), cells[0]);
            assertEquals((float) h.epochs().get(e).get(Trainer.TRAIN_LOSS), Float.parseFloat(cells[1]), "the value reads back exactly");
        }
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(3, lines.size());
        Json.Obj last = (Json.Obj) Json.parse(lines.get(2));
        assertEquals(3, ((Json.Num) last.get("epoch")).longValue());
        assertEquals(h.last().get(Trainer.TRAIN_ACCURACY), ((Json.Num) last.get("train_accuracy")).doubleValue(), 1e-7);
    }

    @Test
    void aNewRunStartsTheFilesAfresh() throws Exception {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "old\n");
        Generator gen = new Generator(2);
        Module model = Fixtures.mlp(gen);
        new MetricsLog(csv, null).onTrainBegin(new Trainer(model, new CrossEntropyLoss(), new Sgd(model.parameters(), 0.1), gen));
        assertEquals("epoch\n", Files.readString(csv));
    }

    @Test
    void needsAtLeastOneFile() {
        assertThrows(IllegalArgumentException.class, () -> new MetricsLog(null, null));
    }
}
