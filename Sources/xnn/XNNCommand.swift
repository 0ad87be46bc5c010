import ArgumentParser

@main
struct XNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xnn",
        abstract: "Explanation spaces for image classifiers: train, inspect and evaluate XNN models (docs/method.md).",
        version: XNNVersion.current,
        subcommands: [TrainCommand.self, EvaluateCommand.self, CompareCommand.self, SweepCommand.self, InspectCommand.self, BenchCommand.self, VisualizeCommand.self])
}
