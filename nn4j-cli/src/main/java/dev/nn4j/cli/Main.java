package dev.nn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code nn4j} command: dispatches to the subcommands. */
@Command(name = "nn4j", mixinStandardHelpOptions = true, version = "nn4j 0.1.0",
        description = "Design, train and evaluate neural networks on the JVM.",
        subcommands = {TrainCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
