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

    func run() throws {
        try Terminal.reportingErrors {
            let configuration = try RunConfiguration.load(file: config, overrides: overrides)
            let directory = out ?? configuration.output.directory ?? TrainingRun.defaultDirectory(forConfigFile: config)
            var run = TrainingRun(configuration: configuration, outputDirectory: directory, force: replace.force)
            run.threads = .openBLAS
            let printer = ProgressPrinter(quiet: quiet)
            let summary = try run.execute(onEvent: printer.handle)
            printer.finish(summary)
        }
    }
}
