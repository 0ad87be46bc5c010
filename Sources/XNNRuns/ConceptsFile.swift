import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNStorage
import XNNTraining

/// concepts.h5 (docs/outputs.md): x, ŷ, y and the contributions x_j·V_cj of every row of a data
/// file, the split, and the source's image ids, labels and class names when it has them. Written
/// by `xnn train` for the run's data and by `xnn encode` for any file of the same layout; under a
/// temporary name, renamed into place.
public enum ConceptsFile {
    public static let format = "xnn-concepts"

    /// Datasets copied from the source when present, with what they mean.
    static let copied: [(name: String, meaning: String)] = [
        ("image_ids", "the source's identifier of each row"), ("labels", "the source's true class of each row"),
        ("class_names", "the source's names of its logit columns"),
    ]

    public static func write(to path: String, outputs: ModelOutputs, data: ActivationData, predictorWeights v: Matrix) throws {
        try AtomicFile.writeHDF5(to: path) { try writeContents($0, outputs: outputs, data: data, predictorWeights: v) }
    }

    static func writeContents(_ file: HDF5File, outputs: ModelOutputs, data: ActivationData, predictorWeights v: Matrix) throws {
        let (concepts, predictions) = (outputs.concepts, outputs.predictions)
        let n = concepts.rows, k = concepts.columns, c = predictions.columns
        let described: [(String, String)] = [
            ("concepts", "x, the concept activations (rows × k)"), ("predictions", "ŷ, the rebuilt outputs, in the targets' units"),
            ("targets", "y, the CNN's scores being explained"), ("contributions", "x_j·V_cj: what concept j adds to output c"),
            ("test_mask", "1 = held out"), ("split", "0 = train, 1 = validation, 2 = test"), ("target_names", "names of the outputs"),
        ]
        try file.write("concepts", floats: concepts.toArray(), shape: [n, k])
        try file.write("predictions", floats: predictions.toArray(), shape: [n, c])
        try file.write("targets", floats: outputs.targets.toArray(), shape: [n, c])
        try file.write("contributions", floats: Contributions.perClass(concepts: concepts, predictorWeights: v), shape: [n, c, k])
        var mask = [UInt8](repeating: 0, count: n), split = [UInt8](repeating: 0, count: n)
        for r in data.testRows { mask[r] = 1; split[r] = 2 }
        for r in data.validationRows { split[r] = 1 }
        try file.write("test_mask", bytes: mask, shape: [n])
        try file.write("split", bytes: split, shape: [n])
        try file.write("target_names", strings: data.targetNames)
        for (name, meaning) in described { try file.setAttribute("meaning", meaning, on: name) }
        for (name, units) in units(targetNormalization: data.targetNormalization) { try file.setAttribute("units", units, on: name) }
        try copySourceDatasets(into: file, from: data.file, rows: n)
        try file.setAttribute("source", data.file)
        try file.setAttribute("format", format)
    }

    /// The units of the float datasets. The contributions are x_j·V_cj with the predictor's own V, so
    /// they are in the targets' units only when the targets were not standardised (data.standardize_targets).
    static func units(targetNormalization: Normalization) -> [(String, String)] {
        let targetUnits = "the targets' units (the data file's logits)"
        let contributionUnits = targetNormalization.isIdentity ? targetUnits
            : "standardised target units: ŷ = (Σ_j contributions + predictor/bias) · target_scale + target_mean (model.h5 normalization/)"
        return [("concepts", "concept activation units (the concept layer's output; compare within one run)"),
                ("predictions", targetUnits), ("targets", targetUnits), ("contributions", contributionUnits)]
    }

    /// image_ids, labels and class_names of the source, when it has them (rows must match).
    static func copySourceDatasets(into file: HDF5File, from source: String, rows: Int) throws {
        let h5 = try HDF5File(path: source)
        defer { h5.close() }
        for (name, meaning) in copied where h5.contains(name) {
            if name == "labels" {
                let (values, shape) = try h5.readInts(name)
                guard shape.first == rows else { continue }
                try file.write(name, ints: values, shape: [rows])
            } else {
                let strings = try h5.readStrings(name)
                guard name == "class_names" || strings.count == rows else { continue }
                try file.write(name, strings: strings)
            }
            try file.setAttribute("meaning", meaning, on: name)
        }
    }
}
