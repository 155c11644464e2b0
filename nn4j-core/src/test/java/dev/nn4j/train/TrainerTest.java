package dev.nn4j.train;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.Batch;
import dev.nn4j.data.DataLoader;
import dev.nn4j.data.TensorDataset;
import dev.nn4j.loss.CrossEntropyLoss;
import dev.nn4j.loss.MSELoss;
import dev.nn4j.nn.Linear;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.Adam;
import dev.nn4j.optim.ClipGrad;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.Regularization;
import dev.nn4j.optim.Sgd;
import dev.nn4j.optim.schedule.ReduceLROnPlateau;
import dev.nn4j.optim.schedule.StepLR;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nn4j.train.Fixtures.blobs;
import static dev.nn4j.train.Fixtures.mlp;
import static dev.nn4j.train.Fixtures.shuffled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private final TensorDataset train = blobs(48, 1), val = blobs(30, 2);
    private final CrossEntropyLoss ce = new CrossEntropyLoss();

    /** The loop the Trainer documents, written out by hand; returns the per-epoch mean training losses. */
    private static double[] handLoop(Module model, Optimizer opt, StepLR perBatch, DataLoader loader, int epochs,
                                     double l1, double l2, double clipNorm, double clipValue) {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double[] losses = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            model.train();
            double sum = 0;
            int seen = 0;
            for (Batch b : loader) {
                opt.zeroGrad();
                Tensor loss = ce.forward(model.forward(b.inputs()), b.targets());
                loss.backward();
                if (l1 > 0) Regularization.applyL1(model.parameters(), l1);
                if (l2 > 0) Regularization.applyL2(model.parameters(), l2);
                if (clipNorm > 0) ClipGrad.clipGradNorm(model.parameters(), clipNorm);
                if (clipValue > 0) ClipGrad.clipGradValue(model.parameters(), clipValue);
                opt.step();
                perBatch.step();
                sum += (double) loss.item() * b.size();
                seen += b.size();
            }
            losses[e] = (float) (sum / seen);
        }
        return losses;
    }

    private void assertFitEqualsHandLoop(double l1, double l2, double clipNorm, double clipValue) {
        Generator g1 = new Generator(7), g2 = new Generator(7);
        Module m1 = mlp(g1), m2 = mlp(g2);
        Optimizer o1 = new Sgd(m1.parameters(), 0.2, 0.9), o2 = new Sgd(m2.parameters(), 0.2, 0.9);
        StepLR s1 = new StepLR(o1, 4, 0.5), s2 = new StepLR(o2, 4, 0.5);

        double[] expected = handLoop(m1, o1, s1, shuffled(train, 10, g1), 3, l1, l2, clipNorm, clipValue);
        History h = new Trainer(m2, ce, o2, g2).scheduler(s2, Trainer.StepEvery.BATCH)
                .l1(l1).l2(l2).clipGradNorm(clipNorm).clipGradValue(clipValue)
                .fit(shuffled(train, 10, g2), null, 3);

        for (int e = 0; e < 3; e++) assertEquals(expected[e], h.epochs().get(e).get(Trainer.TRAIN_LOSS), "epoch " + (e + 1));
        Map<String, float[]> w1 = Fixtures.weights(m1), w2 = Fixtures.weights(m2);
        w1.forEach((k, v) -> assertArrayEquals(v, w2.get(k), k));
        assertEquals(g1.state(), g2.state(), "both drew the same random numbers");
    }

    @Test
    void fitTakesExactlyTheStepsOfTheHandWrittenLoopWithL2AndNormClipping() {
        assertFitEqualsHandLoop(0, 1e-3, 0.5, 0);
    }

    @Test
    void fitTakesExactlyTheStepsOfTheHandWrittenLoopWithL1AndValueClipping() {
        assertFitEqualsHandLoop(1e-3, 0, 0, 0.05);
    }

    @Test
    void callbacksRunInOrderAroundEveryBatchAndEpoch() {
        Generator gen = new Generator(3);
        Module model = mlp(gen);
        Fixtures.Recorder rec = new Fixtures.Recorder();
        new Trainer(model, ce, new Adam(model.parameters(), 0.01), gen).callbacks(rec).fit(shuffled(train, 16, gen), shuffled(val, 16, gen), 2);
        assertEquals(List.of("trainBegin 0",
                "epochBegin 1", "batchEnd 1 1", "batchEnd 1 2", "batchEnd 1 3", "epochEnd 1",
                "epochBegin 2", "batchEnd 2 1", "batchEnd 2 2", "batchEnd 2 3", "epochEnd 2",
                "trainEnd 2"), rec.calls);
    }

    @Test
    void batchProgressCarriesPositionRunningMeansAndThroughput() {
        Generator gen = new Generator(3);
        Module model = mlp(gen);
        Fixtures.Recorder rec = new Fixtures.Recorder();
        // 48 examples in batches of 20: 20, 20, 8
        History h = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen).callbacks(rec).fit(shuffled(train, 20, gen), null, 2);
        assertEquals(6, rec.batches.size());
        for (int i = 0; i < 6; i++) {
            BatchProgress p = rec.batches.get(i);
            assertEquals(i / 3 + 1, p.epoch());
            assertEquals(2, p.epochs());
            assertEquals(i % 3 + 1, p.batch());
            assertEquals(3, p.batchesPerEpoch());
            assertEquals(i + 1, p.step());
            assertEquals(i % 3 == 2 ? 8 : 20, p.batchSize());
            assertEquals(new long[] {20, 40, 48}[i % 3], p.samples());
            assertEquals((float) 0.1, p.lr(), "group options are float32");
            assertTrue(p.elapsedSeconds() >= 0 && p.samplesPerSecond() >= 0 && p.etaSeconds() >= 0);
        }
        // running loss = size-weighted mean of the batch losses so far
        BatchProgress a = rec.batches.get(3), b = rec.batches.get(4), c = rec.batches.get(5);
        assertEquals((a.loss() * 20 + b.loss() * 20) / 40, b.runningLoss(), 1e-12);
        assertEquals((a.loss() * 20 + b.loss() * 20 + c.loss() * 8) / 48, c.runningLoss(), 1e-12);
        // the epoch's metrics are the last running means, rounded to float32
        assertEquals((float) c.runningLoss(), h.epochs().get(1).get(Trainer.TRAIN_LOSS));
        assertEquals((float) c.runningAccuracy(), h.epochs().get(1).get(Trainer.TRAIN_ACCURACY));
        double correct = c.runningAccuracy() * 48;
        assertEquals(Math.rint(correct), correct, 1e-9, "accuracy is a count over the epoch's examples");
        assertEquals(0, new BatchProgress(1, 1, 2, 4, 2, 5, 0, 0, 0, 10, 4.0, 0).etaSeconds() - 4.0, 1e-12, "2 of 4 batches took 4 s: 4 s left");
        assertEquals(2.5, new BatchProgress(1, 1, 2, 4, 2, 5, 0, 0, 0, 10, 4.0, 0).samplesPerSecond(), 1e-12);
    }

    @Test
    void epochMetricsHaveTheDocumentedNamesAndMatchEvaluate() {
        Generator gen = new Generator(5);
        Module model = mlp(gen);
        Trainer trainer = new Trainer(model, ce, new Adam(model.parameters(), 0.02), gen);
        History h = trainer.fit(shuffled(train, 16, gen), new DataLoader(val, 7), 3);
        assertEquals(List.of("train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"), List.copyOf(h.last().metrics().keySet()));
        Evaluation e = trainer.evaluate(new DataLoader(val, 30));
        assertEquals((float) e.loss(), h.last().get(Trainer.VAL_LOSS), 1e-6);
        assertEquals((float) e.accuracy(), h.last().get(Trainer.VAL_ACCURACY));
        assertTrue(h.last().get(Trainer.VAL_ACCURACY) > 0.8, "the blobs are learnable: " + h.last());
        assertTrue(h.epochs().get(2).get(Trainer.TRAIN_LOSS) < h.epochs().get(0).get(Trainer.TRAIN_LOSS));
        assertFalse(h.stopped());
        assertEquals(3, trainer.epoch());
    }

    @Test
    void evaluateGivesMeanLossAccuracyAndConfusionInEvalModeAndRestoresTheMode() {
        Generator gen = new Generator(9);
        Module model = mlp(gen);
        Trainer trainer = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen);
        model.train();
        long state = gen.state();
        Evaluation e = trainer.evaluate(new DataLoader(val, 10));   // batches of equal size: mean of means = mean
        assertTrue(model.isTraining(), "training mode restored");
        assertEquals(state, gen.state(), "eval mode: dropout drew nothing");
        model.eval();
        Tensor scores;
        float loss;
        try (var _ = NoGrad.enter()) {
            scores = model.forward(val.inputs());
            loss = ce.forward(scores, val.targets()).item();
        }
        assertEquals(loss, e.loss(), 1e-6);
        assertEquals(Metrics.accuracy(scores, val.targets()), e.accuracy(), 1e-12);
        assertArrayEquals(ConfusionMatrix.of(scores, val.targets()).counts(), e.confusion().counts());
        assertEquals(30, e.samples());
    }

    @Test
    void predictReturnsOutputsInLoaderOrder() {
        Generator gen = new Generator(9);
        Module model = mlp(gen);
        Trainer trainer = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen);
        Tensor byLoader = trainer.predict(new DataLoader(val, 7)), byTensor = trainer.predict(val.inputs(), 4);
        model.eval();
        Tensor all;
        try (var _ = NoGrad.enter()) {
            all = model.forward(val.inputs());
        }
        assertArrayEquals(new int[] {30, 3}, byLoader.shape());
        assertArrayEquals(all.toFloatArray(), byLoader.toFloatArray(), 1e-6f);
        assertArrayEquals(all.toFloatArray(), byTensor.toFloatArray(), 1e-6f);
        assertFalse(byLoader.requiresGrad());
    }

    @Test
    void regressionRunsReportLossWithoutAccuracy() {
        Generator gen = new Generator(2);
        Tensor x = Tensor.randn(gen, 40, 3), y = x.matmul(Tensor.of(1, -2, 0.5f).reshape(3, 1));
        TensorDataset data = new TensorDataset(x, y);
        Module model = new Linear(3, 1, true, gen);
        Trainer trainer = new Trainer(model, new MSELoss(), new Sgd(model.parameters(), 0.1), gen);
        History h = trainer.fit(shuffled(data, 8, gen), new DataLoader(data, 8), 20);
        assertEquals(List.of("train_loss", "val_loss", "lr", "seconds"), List.copyOf(h.last().metrics().keySet()));
        assertTrue(h.last().get(Trainer.VAL_LOSS) < 1e-3, "a linear target is fitted: " + h.last());
        Evaluation e = trainer.evaluate(new DataLoader(data, 8));
        assertTrue(Double.isNaN(e.accuracy()));
        assertNull(e.confusion());
    }

    @Test
    void aStopRequestedDuringABatchAbandonsTheEpoch() {
        Generator gen = new Generator(3);
        Module model = mlp(gen);
        Fixtures.Recorder rec = new Fixtures.Recorder();
        Callback stopper = new Callback() {
            @Override
            public void onBatchEnd(Trainer t, BatchProgress p) {
                if (p.epoch() == 2 && p.batch() == 2) t.requestStop("interrupted by the test");
            }
        };
        Trainer trainer = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen).callbacks(stopper, rec);
        History h = trainer.fit(shuffled(train, 16, gen), shuffled(val, 16, gen), 5);
        assertEquals(List.of("trainBegin 0", "epochBegin 1", "batchEnd 1 1", "batchEnd 1 2", "batchEnd 1 3", "epochEnd 1",
                "epochBegin 2", "batchEnd 2 1", "batchEnd 2 2", "trainEnd 1"), rec.calls);
        assertEquals(1, h.epochs().size());
        assertEquals("interrupted by the test", h.stopReason());
        assertEquals(1, trainer.epoch(), "epoch() is the last completed epoch");
    }

    @Test
    void aStopRequestedAtEpochEndLetsTheOtherCallbacksFinishTheEpoch() {
        Generator gen = new Generator(3);
        Module model = mlp(gen);
        Fixtures.Recorder rec = new Fixtures.Recorder();
        Callback stopper = new Callback() {
            @Override
            public void onEpochEnd(Trainer t, int epoch, Map<String, Double> m) {
                if (epoch == 2) t.requestStop("enough");
                t.requestStop("enough");   // a second request keeps the first reason
            }
        };
        History h = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen).callbacks(stopper, rec).fit(shuffled(train, 16, gen), null, 5);
        assertEquals(1, h.epochs().size(), "the stop of epoch 1 ends training after epoch 1");
        assertTrue(rec.calls.contains("epochEnd 1"));
        assertEquals("trainEnd 1", rec.calls.getLast());
    }

    @Test
    void perEpochSchedulerStepsOnceAfterEachEpochAndTheEpochLogsTheRateItUsed() {
        Generator gen = new Generator(4);
        Module model = mlp(gen);
        Optimizer opt = new Sgd(model.parameters(), 0.1);
        History h = new Trainer(model, ce, opt, gen).scheduler(new StepLR(opt, 1, 0.5), Trainer.StepEvery.EPOCH).fit(shuffled(train, 16, gen), null, 3);
        assertEquals(List.of((double) 0.1f, (double) 0.05f, (double) 0.025f), h.epochs().stream().map(e -> e.get(Trainer.LR)).toList());
        assertEquals(0.0125f, opt.lr());
    }

    @Test
    void plateauSchedulerStepsOnTheMonitoredMetric() {
        Generator gen = new Generator(4);
        Module model = mlp(gen);
        Optimizer opt = new Sgd(model.parameters(), 0.1);
        // monitoring the learning rate itself (MIN, patience 0) makes the plateaus predictable:
        // epoch 1: 0.1 is the best; 2: 0.1 again, no improvement ⇒ ×0.1; 3: 0.01 improves; 4: no improvement ⇒ ×0.1
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.1, 0, 1e-4,
                ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8);
        History h = new Trainer(model, ce, opt, gen).plateau(plateau, Trainer.LR).fit(shuffled(train, 16, gen), null, 5);
        double[] lrs = h.epochs().stream().mapToDouble(e -> e.get(Trainer.LR)).toArray();
        float once = (float) (0.1f * 0.1), twice = (float) (once * 0.1);   // the optimizer holds each new rate as a float32
        assertArrayEquals(new double[] {0.1f, 0.1f, once, once, twice}, lrs);
    }

    @Test
    void monitoringAMetricTheRunDoesNotHaveNamesTheMetricsThereAre() {
        Generator gen = new Generator(4);
        Module model = mlp(gen);
        Optimizer opt = new Sgd(model.parameters(), 0.1);
        Trainer trainer = new Trainer(model, ce, opt, gen).plateau(new ReduceLROnPlateau(opt), Trainer.VAL_LOSS);
        var e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(shuffled(train, 16, gen), null, 2));
        assertEquals("ReduceLROnPlateau monitors 'val_loss' but the epoch metrics are [train_loss, train_accuracy, lr, seconds]; "
                + "pass a validation DataLoader to fit", e.getMessage());
    }

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        Generator gen = new Generator(4);
        Module model = mlp(gen);
        Trainer trainer = new Trainer(model, ce, new Sgd(model.parameters(), 0.1), gen);
        var e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(new DataLoader(train, 100, false, true, gen), null, 1));
        assertEquals("Trainer.fit: the training DataLoader yields no batches (48 examples, batch size 100, dropLast)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(shuffled(train, 16, gen), null, -1));
        assertEquals("Trainer.fit: epochs must be >= 0 but was -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.clipGradNorm(-1));
        assertEquals("Trainer.clipGradNorm: value must be finite and >= 0 but was -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer.l2(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> trainer.requestStop(" "));
        assertThrows(IllegalArgumentException.class, () -> new Trainer(model, ce, null, gen));
        assertThrows(IllegalArgumentException.class, () -> trainer.predict(val.inputs(), 0));
        assertEquals(0, trainer.fit(shuffled(train, 16, gen), null, 0).epochs().size(), "zero epochs: nothing to do");
    }

    @Test
    void historyAccessorsAndImmutability() {
        History h = new History(List.of(new History.Epoch(1, Map.of("train_loss", 0.5))), null);
        assertEquals(0.5, h.last().get("train_loss"));
        assertTrue(Double.isNaN(h.last().get("val_loss")));
        assertThrows(UnsupportedOperationException.class, () -> h.epochs().add(null));
        assertThrows(UnsupportedOperationException.class, () -> h.last().metrics().put("x", 1.0));
        assertNull(new History(new ArrayList<>(), null).last());
    }
}
