import ArgumentParser
import XNNVisualization

/// `--force`, declared once for every command that writes a destination.
struct ReplaceOption: ParsableArguments {
    @Flag(name: .long, help: "Replace what an earlier xnn command wrote at the destination.")
    var force = false
}

extension ConceptHeatmaps.Method: ExpressibleByArgument {}

/// The version `xnn --version` prints.
enum XNNVersion {
    static let current = "0.6.0"
}
