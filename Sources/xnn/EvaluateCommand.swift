import ArgumentParser
import Foundation
import XNNEvaluation
import XNNRuns

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Every docs/method.md §5 metric of a trained run, for its train and test splits or another activation file.",
        discussion: "Prints a table and writes evaluation.json into the run directory (or --out).")

    @Argument(help: ArgumentHelp("A run directory written by xnn train.", valueName: "run"))
    var runDirectory: String

    @Option(name: .long, help: "Evaluate on another HDF5 file with the same layout instead of the run's own data.")
    var data: String?

    @Option(name: .long, help: "Where to write the JSON report (default: RUN/evaluation.json).")
    var out: String?

    @OptionGroup var replace: ReplaceOption

    func run() throws {
        try Terminal.reportingErrors {
            let saved = try SavedRun(directory: runDirectory)
            let report = try RunEvaluation.evaluate(saved, dataFile: data)
            let path = out ?? (runDirectory as NSString).appendingPathComponent("evaluation.json")
            try AtomicFile.write(try report.json(), to: path, force: replace.force)
            print(EvaluationTable.render(report))
            if let heatmaps = report.heatmaps { print(EvaluationTable.render(heatmaps)) }
            print("wrote \(path)")
        }
    }
}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Match the concepts of two runs one to one (Hungarian on |correlation|) and report their stability.")

    @Argument(help: "The first run directory.")
    var first: String

    @Argument(help: "The second run directory.")
    var second: String

    func run() throws {
        try Terminal.reportingErrors {
            let matching = try RunComparison.compare(try SavedRun(directory: first), try SavedRun(directory: second))
            for (pair, correlation) in zip(matching.pairs, matching.correlations) {
                print(String(format: "concept %d ↔ concept %d   |r| = %.3f", pair[0], pair[1], correlation))
            }
            print(String(format: "mean matched |r| = %.4f", matching.meanCorrelation))
        }
    }
}

/// The evaluation report as an aligned text table, one column per split.
enum EvaluationTable {
    /// The heatmap methods' mean areas, one line each.
    static func render(_ heatmaps: HeatmapAreas) -> String {
        var lines = ["heatmaps (\(heatmaps.images) images of \(heatmaps.file); docs/heatmaps.md): deletion area (lower is better), insertion area (higher is better)"]
        let width = heatmaps.methods.map(\.method.count).max() ?? 0
        for method in heatmaps.methods {
            lines.append("  " + method.method.padding(toLength: width, withPad: " ", startingAt: 0)
                         + String(format: "  deletion %.4f  insertion %.4f", method.deletionArea, method.insertionArea))
        }
        return lines.joined(separator: "\n")
    }

    static func render(_ report: EvaluationReport) -> String {
        let names = ["train", "test", "data"].filter { report.splits[$0] != nil }
        let splits = names.map { report.splits[$0]! }
        var rows: [(String, [String])] = []
        func row(_ label: String, _ value: (SplitEvaluation) -> String) { rows.append((label, splits.map(value))) }
        func number(_ x: Double) -> String { String(format: "%.4f", x) }
        row("samples") { String($0.samples) }
        row("R² (mean)") { number($0.faithfulness.r2) }
        row("MSE") { String(format: "%.5g", $0.faithfulness.mse) }
        row("Pearson r") { number($0.faithfulness.pearson) }
        row("Spearman ρ") { number($0.faithfulness.spearman) }
        if splits.first?.faithfulness.argmaxAgreement != nil { row("argmax agreement") { number($0.faithfulness.argmaxAgreement ?? 0) } }
        row("x: mean cos²") { number($0.conceptOrthogonality.meanSquaredCosine) }
        row("x: mean |cos|") { number($0.conceptOrthogonality.meanAbsoluteCosine) }
        row("x: max |cos|") { number($0.conceptOrthogonality.maxAbsoluteCosine) }
        row("x: ‖G − I‖/k") { number($0.conceptOrthogonality.gramDeviation) }
        row("S: mean |cos|") { number($0.contributionOrthogonality.meanAbsoluteCosine) }
        if splits.first?.reconstruction != nil {
            row("L_SR") { $0.reconstruction.map { number($0.sparseReconstructionLoss) } ?? "-" }
            row("explained variance") { $0.reconstruction.map { number($0.explainedVariance) } ?? "-" }
            row("dims with R² > 0.5") { $0.reconstruction.map { number($0.shareOfDimensionsAboveHalf) } ?? "-" }
        }
        row("positive concepts") { String($0.concepts.positiveConcepts) }
        row("dead concepts") { $0.concepts.deadConcepts.isEmpty ? "none" : $0.concepts.deadConcepts.map(String.init).joined(separator: ",") }
        row("sparsity") { number($0.concepts.sparsity) }
        row("mean contributions") { $0.concepts.meanContributions.map { String(format: "%.3g", $0) }.joined(separator: " ") }
        if splits.first?.referenceConcepts != nil { row("reference recovery") { number($0.referenceConcepts?.meanCorrelation ?? 0) } }
        let labelWidth = rows.map(\.0.count).max() ?? 0
        let widths = names.indices.map { i in max(names[i].count, rows.map { $0.1[i].count }.max() ?? 0) }
        var lines = ["".padding(toLength: labelWidth, withPad: " ", startingAt: 0) + zip(names, widths).map { "  " + $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()]
        for (label, values) in rows {
            lines.append(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + zip(values, widths).map { "  " + $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
