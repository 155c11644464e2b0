package dev.nn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * Entry point of the {@code nn4j} command. User errors (bad option values, missing files, shape mismatches)
 * end with one line on stderr and a non-zero exit code; {@code --debug} adds the stack trace.
 */
@Command(name = "nn4j", mixinStandardHelpOptions = true, version = "nn4j 0.1.0",
        description = "Design, train and evaluate neural networks on the JVM.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, InfoCommand.class, ServeCommand.class, KeygenCommand.class})
public final class Main implements Runnable {
    /** Exit code for errors in the command line itself (picocli's convention). */
    static final int USAGE = 2;
    /** Exit code for everything else that went wrong. */
    static final int FAILED = 1;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    static int run(String... args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("nn4j " + commandLine.getCommandName() + ": " + describe(e));
            if (parseResult.hasMatchedOption("--debug")) e.printStackTrace(err);
            else err.println("(run again with --debug for the stack trace)");
            err.flush();
            return FAILED;
        });
        return cli.execute(args);
    }

    /** One line that says what went wrong, without the exception's class name unless it has no message. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) return e.getClass().getSimpleName();
        return message.replace('\n', ' ');
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
