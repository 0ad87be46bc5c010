import ArgumentParser
import Foundation
import XNNRuns

struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Concepts, contributions and predictions of a trained run for the rows of an activation file (docs/outputs.md, concepts.h5).",
        discussion: "The file needs the run's layout (activations with the same D, the explained logits); it goes through the run's own normalisation.")

    @Argument(help: ArgumentHelp("A run directory written by xnn train.", valueName: "run"))
    var runDirectory: String

    @Option(name: .long, help: "The activation file to encode (default: the run's own data).")
    var data: String?

    @Option(name: .long, help: "The concepts file to write (refused if it exists, unless --force).")
    var out: String

    @OptionGroup var replace: ReplaceOption

    func run() throws {
        try Terminal.reportingErrors {
            let saved = try SavedRun(directory: runDirectory)
            let rows = try RunEncoding.encode(saved, dataFile: data ?? saved.configuration.data.file, output: out, force: replace.force)
            print("wrote \(out): concepts, contributions and predictions of \(rows) rows")
        }
    }
}
