import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel
import XNNStorage
import XNNTraining

/// evaluation.json: the metrics of each split, by name ("train", "test", or "data" for a whole
/// other file), in the targets' own units.
public struct EvaluationReport: Codable, Equatable, Sendable {
    public var schemaVersion = MetricsSchema.version
    public var run: String
    public var dataFile: String
    public var splits: [String: SplitEvaluation]
    /// The deletion and insertion areas of RUN/heatmaps.h5, when the run has one (its own data only).
    public var heatmaps: HeatmapAreas?

    enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version", run, dataFile = "data_file", splits, heatmaps }

    public func json() throws -> String { try JSONText.encode(self) }
}

/// `xnn evaluate`: the trained model of a run on its own data (or another file of the same layout).
public enum RunEvaluation {
    public static func evaluate(_ run: SavedRun, dataFile: String? = nil) throws -> EvaluationReport {
        let data = try run.loadMatchingData(file: dataFile)
        let model = run.model
        let reference = try referenceConcepts(in: data.file, rows: data.sampleCount)
        // Another file without a test mask is measured as a whole; the run's own data split by split.
        let split = dataFile != nil && data.testRows.isEmpty ? [("data", Array(0..<data.sampleCount))] : data.splits
        let outputs = try ModelOutputs(model: model, data: data, rows: Array(0..<data.sampleCount),
                                       logPenaltyStrength: Double(run.configuration.loss.logPenaltyStrength))
        var splits: [String: SplitEvaluation] = [:]
        for (name, rows) in split {
            splits[name] = outputs.evaluate(positions: rows, reference: reference)
        }
        let heatmapFile = (run.directory as NSString).appendingPathComponent(ConceptHeatmapFile.fileName)
        let heatmaps = dataFile == nil && FileManager.default.fileExists(atPath: heatmapFile)
            ? try ConceptHeatmapFile(path: heatmapFile).meanAreas() : nil
        return EvaluationReport(run: run.directory, dataFile: data.file, splits: splits, heatmaps: heatmaps)
    }

    /// The optional `concepts` dataset (N × k_ref) of a data file.
    static func referenceConcepts(in file: String, rows: Int) throws -> Matrix? {
        let h5 = try HDF5File(path: file)
        defer { h5.close() }
        guard h5.contains("concepts") else { return nil }
        let (values, shape) = try h5.readFloats("concepts")
        guard shape.count == 2, shape[0] == rows else {
            throw DataError.rowCountMismatch(file: file, dataset: "concepts", expected: rows, found: shape.first ?? 0, reference: "activations")
        }
        return Matrix(rows: shape[0], columns: shape[1], values: values)
    }
}

/// `xnn compare`: concepts of two runs matched one to one on the same samples (docs/method.md §5 stability).
public enum RunComparison {
    public static func compare(_ first: SavedRun, _ second: SavedRun) throws -> ConceptMatching {
        guard first.model.architecture.inputDimension == second.model.architecture.inputDimension else {
            throw RunError.incompatibleRuns(first: first.directory, second: second.directory,
                                            reason: "input dimensions \(first.model.architecture.inputDimension) and \(second.model.architecture.inputDimension) differ")
        }
        // Both models see the first run's samples, each through its own normalisation.
        let dataA = try first.loadData()
        let dataB = try second.loadData(file: dataA.file)
        let rows = Array(0..<dataA.sampleCount)
        let (xA, _) = first.model.infer(dataA.inputs, rows: rows)
        let (xB, _) = second.model.infer(dataB.inputs, rows: rows)
        return ConceptMatching(xA, xB)
    }
}
