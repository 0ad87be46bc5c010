import ArgumentParser
import XNNRuns
import XNNStorage

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the datasets of an HDF5 file with their shapes and types, and its attributes.")

    @Argument(help: "An HDF5 file (activations, model.h5 or concepts.h5).")
    var file: String

    func run() throws {
        try Terminal.reportingErrors {
            let h5 = try HDF5File(path: file)
            defer { h5.close() }
            let infos = try h5.datasetNames().map { try h5.info($0) }
            let width = max(7, infos.map(\.name.count).max() ?? 0)
            print("\(file)")
            print("dataset".padding(toLength: width, withPad: " ", startingAt: 0) + "  type     shape")
            for info in infos {
                var line = info.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                line += info.elementType.description.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                line += "[" + info.shape.map(String.init).joined(separator: ", ") + "]"
                if let chunks = info.chunkShape { line += "  chunks [" + chunks.map(String.init).joined(separator: ", ") + "]" }
                if info.compressed { line += " compressed" }
                print(line)
            }
            let attributes = try h5.attributeNames()
            if !attributes.isEmpty {
                print("attributes:")
                for key in attributes {
                    var value = (try? h5.stringAttribute(key)) ?? "?"
                    if value.contains("\n") { value = "(\(value.split(separator: "\n").count) lines of text)" }
                    print("  \(key) = \(value)")
                }
            }
            // A model file is also checked as evaluate would load it (e.g. for NaN weights).
            if (try? h5.stringAttribute("format")) == "xnn-model" { _ = try ModelFile.read(from: file) }
        }
    }
}
