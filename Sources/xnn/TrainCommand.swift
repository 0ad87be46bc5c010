import ArgumentParser
import Foundation
import XNNRuns
import XNNTraining

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an explanation space from a YAML configuration file.",
        discussion: """
            Writes config.yaml, model.h5, concepts.h5, history.csv and metrics.json into the run directory, which \
            appears only when the run is complete. Training saves a checkpoint every training.checkpoint_minutes; \
            SIGINT or SIGTERM saves one and stops (exit status 130 or 143). `xnn train --resume RUN` continues \
            such a run to the same result an uninterrupted run gives (docs/reliability.md).
            """)

    @Argument(help: "The configuration file (see docs/configuration.md); not with --resume.")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting, e.g. --set training.epochs=20 (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "Run directory (default: output.directory, else runs/<config name>).")
    var out: String?

    @Option(name: .long, help: ArgumentHelp(
        "Continue the interrupted run that was writing this run directory, from its last checkpoint, with its configuration.",
        valueName: "run-directory"))
    var resume: String?

    @OptionGroup var replace: ReplaceOption

    @Flag(name: .long, help: "Print only the final summary, no per-epoch progress.")
    var quiet = false

    @Flag(name: .long, help: "Print the resolved configuration (defaults filled in, --set applied) as YAML and exit without training.")
    var printConfig = false

    @Option(name: .long, help: "Cores that training.threads: 0 (automatic) may use (default: all; xnn sweep gives each run its share).")
    var cores: Int?

    @Option(name: .long, help: ArgumentHelp("End when process PID ends (xnn sweep passes its own; docs/sweeps.md).",
                                            valueName: "PID", visibility: .hidden))
    var parent: Int32?

    func validate() throws {
        if let cores, cores < 1 { throw ValidationError("--cores must be positive, got \(cores)") }
        if resume != nil {
            guard config == nil, overrides.isEmpty, out == nil else {
                throw ValidationError("--resume continues a run with its own configuration and directory: give no configuration file, --set or --out")
            }
        } else if config == nil {
            throw ValidationError("give a configuration file, or --resume RUN to continue an interrupted run")
        }
        if printConfig, resume != nil { throw ValidationError("--print-config shows a configuration file's settings; not with --resume") }
    }

    func run() throws {
        if let parent { ParentLink.endWithParent(parent) }
        try Terminal.reportingErrors {
            if printConfig {
                return print(try RunConfiguration.load(file: config!, overrides: overrides, checkFiles: false).yaml(), terminator: "")
            }
            var run = try resume.map(resumedRun) ?? freshRun(config: config!)
            run.threads = .openBLAS
            if let cores { run.threads = run.threads.limited(toCores: cores) }
            run.notice = Terminal.printError
            run.provenance = .current(version: XNNVersion.current)
            let signals = StopSignals(run.stop)
            defer { signals.restore() }
            let printer = ProgressPrinter(quiet: quiet)
            do {
                let summary = try run.execute(onEvent: printer.handle)
                printer.finish(summary)
            } catch let interruption as TrainingInterruption {
                Terminal.printError("xnn: \(interruption)")
                throw ExitCode(interruption.exitStatus)
            }
        }
    }

    private func freshRun(config: String) throws -> TrainingRun {
        let configuration = try RunConfiguration.load(file: config, overrides: overrides)
        let directory = out ?? configuration.output.directory ?? TrainingRun.defaultDirectory(forConfigFile: config)
        return TrainingRun(configuration: configuration, outputDirectory: directory, force: replace.force)
    }

    /// The interrupted run, from where it was started (relative paths in its configuration hold).
    private func resumedRun(_ path: String) throws -> TrainingRun {
        let point = try ResumePoint.find(path)
        guard FileManager.default.changeCurrentDirectoryPath(point.info.workingDirectory) else {
            throw RunError.notARun(path: path, reason: "its checkpoint names the folder \(point.info.workingDirectory), which is gone")
        }
        var run = TrainingRun(configuration: try point.configuration(), outputDirectory: point.info.destination,
                              force: point.info.force || replace.force)
        run.resume = point
        let state = point.checkpoint.state
        Terminal.printError("resuming \(point.info.destination) at attempt \(state.attempt + 1), epoch \(state.epoch + 1) (checkpoint in \(point.staging.path))")
        return run
    }
}
