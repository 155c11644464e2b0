package dev.nn4j.train;

import dev.nn4j.autograd.NoGrad;
import dev.nn4j.data.Batch;
import dev.nn4j.data.DataLoader;
import dev.nn4j.loss.Loss;
import dev.nn4j.nn.Module;
import dev.nn4j.optim.ClipGrad;
import dev.nn4j.optim.Optimizer;
import dev.nn4j.optim.Regularization;
import dev.nn4j.optim.schedule.LrScheduler;
import dev.nn4j.optim.schedule.ReduceLROnPlateau;
import dev.nn4j.tensor.Generator;
import dev.nn4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: {@link #fit} trains a model for a number of epochs, {@link #evaluate} measures it and
 * {@link #predict} runs it. The loop is written to be read top to bottom, as llm.c's {@code main}:
 * <pre>
 * for each epoch:
 *     for each batch:  zero grad → forward → loss → backward → L1/L2 penalty → clip → step → per-batch schedule → log
 *     validate → per-epoch schedule (or ReduceLROnPlateau on a monitored metric) → callbacks → checkpoint
 * </pre>
 * Everything optional is set before {@code fit} by the chaining setters; {@link Callback}s extend the loop.
 * {@snippet :
 * Generator gen = new Generator(0);        // one generator: init, dropout and shuffling
 * Module model = new Sequential(new Linear(784, 256, true, gen), new ReLU(), new Linear(256, 10, true, gen));
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * History history = new Trainer(model, new CrossEntropyLoss(), opt, gen)
 *         .scheduler(new CosineAnnealingLR(opt, 10), Trainer.StepEvery.EPOCH)
 *         .callbacks(new EarlyStopping("val_loss", MonitorMode.MIN, 3, 0, true), new ProgressPrinter(System.out))
 *         .checkpointDir(Path.of("runs/x/checkpoints"))      // resume later with .resumeFrom(same dir)
 *         .fit(new DataLoader(train, 64, true, false, gen), new DataLoader(val, 256), 10);
 * }
 *
 * <p><b>Epoch metrics</b> (the names below, in this order): {@code train_loss} and {@code train_accuracy} (the mean
 * over the epoch's training examples, measured during training, so with dropout on), {@code val_loss} and
 * {@code val_accuracy} (with a validation loader, in eval mode), {@code lr} (group 0's learning rate during the
 * epoch's last step) and {@code seconds}. Accuracies appear only when outputs are class scores {@code [N, C]}
 * against targets {@code [N]}. The logged loss is the criterion's, without the L1/L2 penalty. Metrics are rounded
 * to float32, the precision of the losses themselves, so that checkpoints store them exactly.
 *
 * <p><b>Regularisation and clipping.</b> {@link #l1} and {@link #l2} add the penalty's gradient
 * ({@link Regularization#applyL1}, {@link Regularization#applyL2}: {@code λ·sign θ}, {@code 2λ·θ}) after
 * {@code backward}; {@link #clipGradNorm} and {@link #clipGradValue} clip after that, so the penalty is clipped too.
 *
 * <p><b>Exact resume.</b> With {@link #checkpointDir}, every completed epoch whose metrics and weights are finite
 * writes a {@link Checkpoint}: weights, optimizer, schedules, epoch, history, callback state and the generator's
 * state. A new trainer built the same way with {@link #resumeFrom} continues from it and computes the same losses and weights, bit for bit, as a run that
 * was never interrupted; this holds with shuffling and dropout as long as they draw from the trainer's generator.
 */
public final class Trainer {
    /** When an {@link LrScheduler} steps: after every optimizer step, or once per epoch. */
    public enum StepEvery { BATCH, EPOCH }

    public static final String TRAIN_LOSS = "train_loss", TRAIN_ACCURACY = "train_accuracy",
            VAL_LOSS = "val_loss", VAL_ACCURACY = "val_accuracy", LR = "lr", SECONDS = "seconds";

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Generator generator;
    private final List<Tensor> params;
    private final List<Callback> callbacks = new ArrayList<>();

    private LrScheduler scheduler;
    private StepEvery schedulerEvery;
    private ReduceLROnPlateau plateau;
    private String plateauMonitor;
    private double clipNorm, clipValue, l1, l2;
    private Path checkpointDir, resumeDir;

    // progress of the run; restored from a checkpoint when resuming
    private int epoch, epochs, batchesPerEpoch;
    private long step;
    private final List<History.Epoch> history = new ArrayList<>();
    private volatile String stopReason;

    /**
     * @param generator the run's generator: the one the model, its dropout layers and the training loader draw
     *                  from; its state is saved in checkpoints
     */
    public Trainer(Module model, Loss loss, Optimizer optimizer, Generator generator) {
        if (model == null || loss == null || optimizer == null || generator == null) {
            throw new IllegalArgumentException("Trainer: model, loss, optimizer and generator must not be null");
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.generator = generator;
        this.params = model.parameters();
    }

    // ------------------------------------------------------------------ configuration

    /** Steps {@code scheduler} after every optimizer step ({@link StepEvery#BATCH}) or at each epoch's end. */
    public Trainer scheduler(LrScheduler scheduler, StepEvery every) {
        if (scheduler == null || every == null) throw new IllegalArgumentException("Trainer.scheduler: scheduler and every must not be null");
        this.scheduler = scheduler;
        this.schedulerEvery = every;
        return this;
    }

    /** Steps {@code plateau} at each epoch's end with the epoch metric {@code monitor} (for example {@code val_loss}). */
    public Trainer plateau(ReduceLROnPlateau plateau, String monitor) {
        if (plateau == null || monitor == null) throw new IllegalArgumentException("Trainer.plateau: plateau and monitor must not be null");
        this.plateau = plateau;
        this.plateauMonitor = monitor;
        return this;
    }

    /** Clips the gradients' total 2-norm to {@code maxNorm} before each step ({@link ClipGrad#clipGradNorm}); 0 turns it off. */
    public Trainer clipGradNorm(double maxNorm) {
        this.clipNorm = nonNegative("clipGradNorm", maxNorm);
        return this;
    }

    /** Clamps every gradient element into {@code [−clip, clip]} before each step; 0 turns it off. */
    public Trainer clipGradValue(double clip) {
        this.clipValue = nonNegative("clipGradValue", clip);
        return this;
    }

    /** Adds the gradient of {@code λ·Σ|θ|} over all parameters before each step. */
    public Trainer l1(double lambda) {
        this.l1 = nonNegative("l1", lambda);
        return this;
    }

    /** Adds the gradient of {@code λ·Σθ²} over all parameters before each step. */
    public Trainer l2(double lambda) {
        this.l2 = nonNegative("l2", lambda);
        return this;
    }

    /** Adds callbacks; they run in the order added. */
    public Trainer callbacks(Callback... added) {
        for (Callback c : added) {
            if (c == null) throw new IllegalArgumentException("Trainer.callbacks: a callback is null");
            callbacks.add(c);
        }
        return this;
    }

    /** Writes a resume {@link Checkpoint} into {@code dir} at the end of every completed epoch. */
    public Trainer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /**
     * Resumes from the checkpoint in {@code dir} when {@code fit} starts: build the model, optimizer, schedules,
     * loaders and callbacks exactly as for the original run, then call this. A missing checkpoint is an error.
     */
    public Trainer resumeFrom(Path dir) {
        this.resumeDir = dir;
        return this;
    }

    // ------------------------------------------------------------------ the loop

    /**
     * Trains until epoch {@code epochs} (counted from 1 over the whole run, so a resumed run passes the same
     * number) or until a callback requests a stop. {@code val} may be null.
     */
    public History fit(DataLoader train, DataLoader val, int epochs) {
        if (train == null) throw new IllegalArgumentException("Trainer.fit: the training DataLoader is null");
        if (epochs < 0) throw new IllegalArgumentException("Trainer.fit: epochs must be >= 0 but was " + epochs);
        if (train.batchesPerEpoch() == 0) {
            throw new IllegalArgumentException("Trainer.fit: the training DataLoader yields no batches (" + train.dataset().size()
                    + " examples, batch size " + train.batchSize() + ", dropLast)");
        }
        this.epochs = epochs;
        this.batchesPerEpoch = train.batchesPerEpoch();
        this.stopReason = null;
        if (resumeDir != null) {
            Checkpoint.load(resumeDir, this);
            resumeDir = null;
        }
        for (Callback c : callbacks) c.onTrainBegin(this);

        while (epoch < epochs && stopReason == null) {
            epoch++;
            for (Callback c : callbacks) c.onEpochBegin(this, epoch);
            model.train();
            EpochTotals t = trainEpoch(train);
            if (stopReason != null) {        // abandoned mid-epoch: no validation, no epoch end, no checkpoint
                epoch--;
                break;
            }

            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put(TRAIN_LOSS, round(t.lossSum / t.seen));
            if (t.classification) metrics.put(TRAIN_ACCURACY, round((double) t.correct / t.seen));
            if (val != null) {
                Evaluation e = evaluate(val);
                metrics.put(VAL_LOSS, round(e.loss()));
                if (e.isClassification()) metrics.put(VAL_ACCURACY, round(e.accuracy()));
            }
            metrics.put(LR, round(t.lr));
            metrics.put(SECONDS, round((System.nanoTime() - t.start) / 1e9));

            if (scheduler != null && schedulerEvery == StepEvery.EPOCH) scheduler.step();
            if (plateau != null) plateau.step(monitored(metrics, plateauMonitor, "ReduceLROnPlateau"));

            History.Epoch done = new History.Epoch(epoch, metrics);
            history.add(done);
            for (Callback c : callbacks) c.onEpochEnd(this, epoch, done.metrics());
            if (checkpointDir != null && allFinite(metrics) && allFinite(params)) Checkpoint.save(checkpointDir, this);
        }

        History result = history();
        for (Callback c : callbacks) c.onTrainEnd(this, result);
        return result;
    }

    /** The running sums of one epoch's training batches. */
    private static final class EpochTotals {
        final long start = System.nanoTime();
        double lossSum, lr;
        long seen, correct;
        int batches;
        boolean classification = true;

        EpochTotals(double lr) {
            this.lr = lr;
        }
    }

    /**
     * One pass over {@code train}, one {@link #trainBatch} per batch, until the loader ends or a stop is requested.
     * The batch loop is here and the batch's work in a method of its own so that the JIT compiles that work once it
     * has run some hundred batches, and the loop itself in a small on-stack replacement. With the loop in {@code fit},
     * the JIT's on-stack replacement of all of {@code fit} came in epoch 5 of a 7-epoch MLP run, two compilations of
     * 0.12-0.14 s on the cores the kernels use, and that epoch took 0.88-0.92 s against 0.67-0.78 s for epochs 4 and 6.
     */
    private EpochTotals trainEpoch(DataLoader train) {
        EpochTotals t = new EpochTotals(optimizer.lr());
        for (Batch batch : train) {
            trainBatch(batch, t);
            if (stopReason != null) break;
        }
        return t;
    }

    /** Steps 1-9 of the loop for one batch. */
    private void trainBatch(Batch batch, EpochTotals t) {
        t.batches++;
        optimizer.zeroGrad();                                                      // 1. zero grad
        Tensor output = model.forward(batch.inputs());                             // 2. forward
        Tensor batchLoss = loss.forward(output, batch.targets());                  // 3. loss
        batchLoss.backward();                                                      // 4. backward
        if (l1 > 0) Regularization.applyL1(params, l1);                            // 5. penalty
        if (l2 > 0) Regularization.applyL2(params, l2);
        if (clipNorm > 0) ClipGrad.clipGradNorm(params, clipNorm);                 // 6. clip
        if (clipValue > 0) ClipGrad.clipGradValue(params, clipValue);
        t.lr = optimizer.lr();
        optimizer.step();                                                          // 7. step
        step++;
        if (scheduler != null && schedulerEvery == StepEvery.BATCH) scheduler.step();  // 8. schedule

        // 9. log: running sums over the epoch, then the callbacks
        double value = batchLoss.item();
        int n = batch.size();
        t.lossSum += value * n;
        t.seen += n;
        t.classification &= Metrics.isClassification(output, batch.targets());
        if (t.classification) t.correct += Metrics.correct(output.detach(), batch.targets());
        BatchProgress progress = new BatchProgress(epoch, epochs, t.batches, batchesPerEpoch, step, n, value, t.lossSum / t.seen,
                t.classification ? (double) t.correct / t.seen : Double.NaN, t.seen, (System.nanoTime() - t.start) / 1e9, t.lr);
        for (Callback c : callbacks) c.onBatchEnd(this, progress);
    }

    /** The mean loss (and, for class scores, accuracy and confusion matrix) of the model over {@code loader}, in eval mode. */
    public Evaluation evaluate(DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var _ = NoGrad.enter()) {
            double lossSum = 0;
            long seen = 0;
            ConfusionMatrix confusion = null;
            boolean classification = true;
            for (Batch batch : loader) {
                Tensor output = model.forward(batch.inputs());
                lossSum += (double) loss.forward(output, batch.targets()).item() * batch.size();
                seen += batch.size();
                classification &= Metrics.isClassification(output, batch.targets());
                if (classification) {
                    if (confusion == null) confusion = new ConfusionMatrix(output.size(1));
                    confusion.add(output, batch.targets());
                }
            }
            if (seen == 0) throw new IllegalArgumentException("Trainer.evaluate: the DataLoader yields no examples");
            if (!classification) confusion = null;
            return new Evaluation(lossSum / seen, confusion == null ? Double.NaN : confusion.accuracy(), seen, confusion);
        } finally {
            model.train(wasTraining);
        }
    }

    /** The model's outputs for every example of {@code loader}, in its order, concatenated along dimension 0 (eval mode, no graph). */
    public Tensor predict(DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var _ = NoGrad.enter()) {
            List<Tensor> outputs = new ArrayList<>();
            for (Batch batch : loader) outputs.add(model.forward(batch.inputs()));
            if (outputs.isEmpty()) throw new IllegalArgumentException("Trainer.predict: the DataLoader yields no examples");
            return outputs.size() == 1 ? outputs.getFirst() : Tensor.cat(outputs, 0);
        } finally {
            model.train(wasTraining);
        }
    }

    /** The model's outputs for {@code inputs} {@code [N, …]}, run {@code batchSize} rows at a time (eval mode, no graph). */
    public Tensor predict(Tensor inputs, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("Trainer.predict: batchSize must be at least 1 but was " + batchSize);
        if (inputs.dim() == 0) throw new IllegalArgumentException("Trainer.predict: inputs must have a batch dimension but are a scalar");
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var _ = NoGrad.enter()) {
            List<Tensor> outputs = new ArrayList<>();
            for (int at = 0; at < inputs.size(0); at += batchSize) {
                outputs.add(model.forward(inputs.narrow(0, at, Math.min(batchSize, inputs.size(0) - at))));
            }
            if (outputs.isEmpty()) throw new IllegalArgumentException("Trainer.predict: inputs have no rows");
            return outputs.size() == 1 ? outputs.getFirst() : Tensor.cat(outputs, 0);
        } finally {
            model.train(wasTraining);
        }
    }

    // ------------------------------------------------------------------ for callbacks

    /**
     * Asks {@code fit} to stop: after the current batch when called from {@code onBatchEnd} (the epoch is abandoned),
     * after the current epoch when called from {@code onEpochEnd}. The first reason given is kept and ends up in
     * {@link History#stopReason()}. Safe to call from another thread (a Ctrl-C handler, say).
     */
    public void requestStop(String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("Trainer.requestStop: give a reason");
        if (stopReason == null) stopReason = reason;
    }

    /** The reason of a pending or past stop request of the current {@code fit}, or null. */
    public String stopReason() {
        return stopReason;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Generator generator() {
        return generator;
    }

    public Loss loss() {
        return loss;
    }

    /** The optional schedule and plateau reducer, or null. */
    public LrScheduler scheduler() {
        return scheduler;
    }

    public ReduceLROnPlateau plateau() {
        return plateau;
    }

    /** The current epoch (from 1) during {@code fit}; the last completed one before and after (0 before any). */
    public int epoch() {
        return epoch;
    }

    /** The epoch the current {@code fit} trains up to. */
    public int epochs() {
        return epochs;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Optimizer steps taken over the whole run (continued across resume). */
    public long step() {
        return step;
    }

    /** The callbacks, in order (unmodifiable). */
    public List<Callback> callbackList() {
        return Collections.unmodifiableList(callbacks);
    }

    /** Every completed epoch so far, with the current stop reason. */
    public History history() {
        return new History(history, stopReason);
    }

    // ------------------------------------------------------------------ restored by Checkpoint

    void restore(int epoch, long step, List<History.Epoch> epochs) {
        this.epoch = epoch;
        this.step = step;
        history.clear();
        history.addAll(epochs);
    }

    // ------------------------------------------------------------------ helpers

    /** The value of {@code monitor} in {@code metrics}, or an error listing the metrics there are. */
    static double monitored(Map<String, Double> metrics, String monitor, String who) {
        Double v = metrics.get(monitor);
        if (v == null) {
            throw new IllegalArgumentException(who + " monitors '" + monitor + "' but the epoch metrics are " + metrics.keySet()
                    + (monitor.startsWith("val_") && metrics.keySet().stream().noneMatch(k -> k.startsWith("val_")) ? "; pass a validation DataLoader to fit" : ""));
        }
        return v;
    }

    static boolean allFinite(Map<String, Double> metrics) {
        for (double v : metrics.values()) if (!Double.isFinite(v)) return false;
        return true;
    }

    /** True when every element of every tensor is finite. */
    static boolean allFinite(List<Tensor> tensors) {
        for (Tensor t : tensors) for (float v : t.toFloatArray()) if (!Float.isFinite(v)) return false;
        return true;
    }

    private static double round(double v) {
        return (float) v;
    }

    private static double nonNegative(String op, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("Trainer." + op + ": value must be finite and >= 0 but was " + v);
        return v;
    }
}
