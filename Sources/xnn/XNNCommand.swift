import ArgumentParser
import Foundation

@main
struct XNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xnn",
        abstract: "Explanation spaces for image classifiers: train, inspect and evaluate XNN models (docs/method.md).",
        version: XNNVersion.current,
        subcommands: [TrainCommand.self, EvaluateCommand.self, CompareCommand.self, SweepCommand.self, InspectCommand.self, BenchCommand.self, VisualizeCommand.self, LayersCommand.self, EncodeCommand.self])

    /// ArgumentParser's entry point, with a usage error (an unknown option, a missing argument)
    /// reported like every other error: one `xnn: error:` line. Its exit status stays
    /// `ExitStatus.usage` (docs/reliability.md).
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error)
            guard status == ExitCode(ExitStatus.usage) else { exit(withError: error) }  // help, version, ExitCode(1)
            // The parser's own text is several lines (error, usage, hint): keep the error and the hint.
            let full = fullMessage(for: error)
            let help = full.range(of: #"'xnn[^']*--help'"#, options: .regularExpression).map { String(full[$0]) }
            let message = message(for: error).replacingOccurrences(of: "\n", with: " ")
            Terminal.printError("xnn: error: \(message)" + (help.map { " (see \($0))" } ?? ""))
            Foundation.exit(ExitStatus.usage)
        }
    }
}

/// The exit statuses of every command (docs/reliability.md).
enum ExitStatus {
    /// Bad input (a file, dataset, key or value) or a failure while running: one `xnn: error:` line.
    static let failure: Int32 = 1
    /// The command line itself is wrong (unknown option, missing argument): EX_USAGE of sysexits.h.
    static let usage: Int32 = 64
}
