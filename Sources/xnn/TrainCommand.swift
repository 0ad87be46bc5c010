import ArgumentParser
import Foundation
import XNNRuns
import XNNTraining

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an explanation space from a YAML configuration file.",
        discussion: "Writes config.yaml, model.h5, concepts.h5, history.csv and metrics.json into the run directory.")

    @Argument(help: "The configuration file (see docs/configuration.md).")
    var config: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting, e.g. --set training.epochs=20 (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "Run directory (default: output.directory, else runs/<config name>).")
    var out: String?

    @OptionGroup var replace: ReplaceOption

    @Flag(name: .long, help: "Print only the final summary, no per-epoch progress.")
    var quiet = false

    @Option(name: .long, help: "Cores that training.threads: 0 (automatic) may use (default: all; xnn sweep gives each run its share).")
    var cores: Int?

    @Option(name: .long, help: ArgumentHelp("End when process PID ends (xnn sweep passes its own; docs/sweeps.md).",
                                            valueName: "PID", visibility: .hidden))
    var parent: Int32?

    func validate() throws {
        if let cores, cores < 1 { throw ValidationError("--cores must be positive, got \(cores)") }
    }

    func run() throws {
        if let parent { ParentLink.endWithParent(parent) }
        try Terminal.reportingErrors {
            let configuration = try RunConfiguration.load(file: config, overrides: overrides)
            let directory = out ?? configuration.output.directory ?? TrainingRun.defaultDirectory(forConfigFile: config)
            var run = TrainingRun(configuration: configuration, outputDirectory: directory, force: replace.force)
            run.threads = .openBLAS
            if let cores { run.threads = run.threads.limited(toCores: cores) }
            let printer = ProgressPrinter(quiet: quiet)
            let summary = try run.execute(onEvent: printer.handle)
            printer.finish(summary)
        }
    }
}
