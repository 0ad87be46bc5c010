import XNNEvaluation
import XNNLinearAlgebra
import XNNModel
import XNNTraining

/// One pass of a trained model over rows of a data set: x and ŷ, y (in the targets' own units),
/// and ẑ when the rows are in memory. Every metric of a run (metrics.json, evaluation.json, sweep
/// tables) is derived from this one pass, split by split, so nothing is inferred twice.
public struct ModelOutputs {
    /// The data rows, in the order of the matrices' rows.
    public let rows: [Int]
    public let concepts: Matrix
    public let predictions: Matrix
    public let targets: Matrix
    /// ẑ in the model's normalised units; nil for streamed data.
    public let reconstructions: Matrix?
    private let data: ActivationData
    private let conceptWeights: [Float]
    private let logPenaltyStrength: Double

    public init(model: any ConceptModel, data: ActivationData, rows: [Int], logPenaltyStrength: Double) throws {
        self.rows = rows
        self.data = data
        self.logPenaltyStrength = logPenaltyStrength
        conceptWeights = model.conceptWeights
        if data.isStreamed {
            (concepts, predictions) = try data.infer(model, rows: rows)
            reconstructions = nil
        } else {
            concepts = Matrix(rows: rows.count, columns: model.architecture.concepts)
            predictions = Matrix(rows: rows.count, columns: model.architecture.outputs)
            let reconstructions = Matrix(rows: rows.count, columns: model.architecture.inputDimension)
            model.infer(data.inputs, rows: rows, concepts: concepts, predictions: predictions, reconstructions: reconstructions)
            self.reconstructions = reconstructions
        }
        targets = Matrix(rows: rows.count, columns: data.outputCount)
        ActivationData.gather(rows: rows[...], from: data.targets, into: targets)
        data.targetNormalization.invert(predictions)
        data.targetNormalization.invert(targets)
    }

    /// The metrics of the rows at `positions` (indices into `rows`), compared with the optional
    /// reference concepts (one row per data row).
    public func evaluate(positions: [Int], reference: Matrix? = nil) -> SplitEvaluation {
        func pick(_ m: Matrix) -> Matrix { ActivationData.gathered(rows: positions, from: m) }
        let x = pick(concepts), dataRows = positions.map { rows[$0] }[...]
        var reconstruction: ReconstructionMetrics? = nil
        if let reconstructions {
            let z = Matrix(rows: positions.count, columns: data.inputDimension)
            ActivationData.gather(rows: dataRows, from: data.inputs, into: z)
            reconstruction = ReconstructionMetrics(reconstructions: pick(reconstructions), targets: z,
                                                   logPenaltyStrength: logPenaltyStrength)
        }
        var matching: ConceptMatching? = nil
        if let reference {
            let referenceRows = Matrix(rows: positions.count, columns: reference.columns)
            ActivationData.gather(rows: dataRows, from: reference, into: referenceRows)
            matching = ConceptMatching(x, referenceRows)
        }
        return SplitEvaluation(concepts: x, predictions: pick(predictions), targets: pick(targets), conceptWeights: conceptWeights,
                               reconstruction: reconstruction, referenceConcepts: matching)
    }
}
