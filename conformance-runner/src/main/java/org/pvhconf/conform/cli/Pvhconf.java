package org.pvhconf.conform.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pvhconf} command line: one subcommand per job (see DESIGN.md, "Command line"). */
@Command(name = "pvhconf",
        mixinStandardHelpOptions = true,
        version = "pvhconf 0.1.0",
        description = "An executable specification of the Xen PVH guest ABI, and a reference hypervisor.",
        subcommands = {BootCommand.class, ConformCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Pvhconf implements Runnable {

    /** Exit status for a refused kernel, config or option (DESIGN: 2 = refused, with the rule named). */
    static final int EXIT_REFUSED = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (boot, conform, bench)");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Pvhconf());
        // A wrong option is a refusal (exit 2) with picocli's message naming the option, never a stack trace.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("pvhconf: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_REFUSED;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("pvhconf: internal error: " + ex);
            return 3;
        });
        return cl;
    }
}
