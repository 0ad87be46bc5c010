import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel
import XNNStorage
import XNNTraining

/// Every SPEC §5 metric of one split.
public struct SplitEvaluation: Codable, Equatable, Sendable {
    public var samples: Int
    public var faithfulness: FaithfulnessMetrics
    public var conceptOrthogonality: OrthogonalityMetrics
    public var contributionOrthogonality: OrthogonalityMetrics
    public var reconstruction: ReconstructionMetrics
    public var concepts: ConceptMetrics
    /// With a `concepts` dataset in the data file: how well the learned concepts recover it.
    public var referenceConcepts: ConceptMatching?

    enum CodingKeys: String, CodingKey {
        case samples, faithfulness, conceptOrthogonality = "concept_orthogonality"
        case contributionOrthogonality = "contribution_orthogonality", reconstruction, concepts
        case referenceConcepts = "reference_concepts"
    }
}

/// evaluation.json: the metrics of each split, by name ("train", "test", or "data" for a whole
/// other file), in the targets' own units.
public struct EvaluationReport: Codable, Equatable, Sendable {
    public var run: String
    public var dataFile: String
    public var splits: [String: SplitEvaluation]

    enum CodingKeys: String, CodingKey { case run, dataFile = "data_file", splits }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

/// What a model gives on some rows of a data set: x, ŷ and y (in the targets' own units), and on
/// request z and ẑ (in the model's normalised units). Training's metrics.json and `xnn evaluate`
/// both measure these.
public struct SplitOutputs {
    public let concepts: Matrix
    public let predictions: Matrix
    public let targets: Matrix
    /// z of the rows, only alongside the reconstructions.
    public let inputs: Matrix?
    public let reconstructions: Matrix?

    public init(model: any ConceptModel, data: ActivationData, rows: [Int], withReconstructions: Bool) throws {
        if withReconstructions {
            // Reconstructions pair with z row by row: both in memory (xnn evaluate loads data whole).
            concepts = Matrix(rows: rows.count, columns: model.architecture.concepts)
            predictions = Matrix(rows: rows.count, columns: model.architecture.outputs)
            let reconstructions = Matrix(rows: rows.count, columns: model.architecture.inputDimension)
            model.infer(data.inputs, rows: rows, concepts: concepts, predictions: predictions, reconstructions: reconstructions)
            let inputs = Matrix(rows: rows.count, columns: data.inputDimension)
            ActivationData.gather(rows: rows[...], from: data.inputs, into: inputs)
            self.inputs = inputs
            self.reconstructions = reconstructions
        } else {
            (concepts, predictions) = try data.infer(model, rows: rows)
            inputs = nil
            reconstructions = nil
        }
        targets = Matrix(rows: rows.count, columns: data.outputCount)
        ActivationData.gather(rows: rows[...], from: data.targets, into: targets)
        data.targetNormalization.invert(predictions)
        data.targetNormalization.invert(targets)
    }
}

/// `xnn evaluate`: the trained model of a run on its own data (or another file of the same layout).
public enum RunEvaluation {
    public static func evaluate(_ run: SavedRun, dataFile: String? = nil) throws -> EvaluationReport {
        let data = try run.loadData(file: dataFile)
        let model = run.model
        guard data.inputDimension == model.architecture.inputDimension, data.outputCount == model.architecture.outputs else {
            throw DataError.rankMismatch(file: data.file, dataset: run.configuration.data.activations,
                                         expected: "\(model.architecture.inputDimension) features and \(model.architecture.outputs) targets, as the model was trained on",
                                         found: [data.sampleCount, data.inputDimension])
        }
        let reference = try referenceConcepts(in: data.file, rows: data.sampleCount)
        let split: [(String, [Int])] = dataFile != nil && data.testRows.isEmpty
            ? [("data", data.trainRows)] : [("train", data.trainRows), ("test", data.testRows)]
        var splits: [String: SplitEvaluation] = [:]
        let vBar = model.conceptWeights
        for (name, rows) in split where !rows.isEmpty {
            let split = try SplitOutputs(model: model, data: data, rows: rows, withReconstructions: true)
            let (x, predictions, targets) = (split.concepts, split.predictions, split.targets)
            let contributions = Matrix(rows: rows.count, columns: x.columns)
            for i in 0..<x.rows { for j in 0..<x.columns { contributions[i, j] = x[i, j] * vBar[j] } }
            var matching: ConceptMatching? = nil
            if let reference {
                let referenceRows = Matrix(rows: rows.count, columns: reference.columns)
                ActivationData.gather(rows: rows[...], from: reference, into: referenceRows)
                matching = ConceptMatching(x, referenceRows)
            }
            splits[name] = SplitEvaluation(
                samples: rows.count,
                faithfulness: FaithfulnessMetrics(predictions: predictions, targets: targets),
                conceptOrthogonality: OrthogonalityMetrics(columnsOf: x),
                contributionOrthogonality: OrthogonalityMetrics(columnsOf: contributions),
                reconstruction: ReconstructionMetrics(reconstructions: split.reconstructions!, targets: split.inputs!,
                                                      logPenaltyStrength: Double(run.configuration.loss.logPenaltyStrength)),
                concepts: ConceptMetrics(concepts: x, conceptWeights: vBar),
                referenceConcepts: matching)
        }
        return EvaluationReport(run: run.directory, dataFile: data.file, splits: splits)
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

/// `xnn compare`: concepts of two runs matched one to one on the same samples (SPEC §5 stability).
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
