import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

/// What the validation rows say about the model after one epoch (dropout off).
public struct ValidationScore: Sendable, Equatable {
    /// The unweighted loss terms, averaged over validation batches.
    public var losses: LossValues
    /// R² of the rebuilt outputs (mean over outputs).
    public var r2: Double
    /// Concepts that are zero on every validation row.
    public var deadConcepts: Int
}

extension Trainer {
    /// The loss terms and R² of `model` on the validation rows; nil when there are none.
    func validate(_ model: SRAE, data: ActivationData, weights: LossWeights, workspace ws: SRAEWorkspace,
                  generator: inout SeededGenerator) throws -> ValidationScore? {
        let rows = data.validationRows
        guard !rows.isEmpty else { return nil }
        let predictions = Matrix(rows: rows.count, columns: data.outputCount)
        let targets = Matrix(rows: rows.count, columns: data.outputCount)
        var sums = LossValues(), batches = 0, start = 0
        ws.resetConceptFiringCounts()
        while start < rows.count {
            let batch = rows[start..<min(start + ws.capacity, rows.count)]
            try data.gather(rows: batch, into: ws.inputs)
            ActivationData.gather(rows: batch, from: data.targets, into: ws.targets)
            ws.setBatchSize(batch.count)
            let losses = model.computeLossAndGradients(inputs: ws.inputs, targets: ws.targets, weights: weights,
                                                       workspace: ws, dropout: .off, generator: &generator)
            sums.faithfulness += losses.faithfulness
            sums.reconstruction += losses.reconstruction
            sums.pullAway += losses.pullAway
            predictions.row(start).update(from: ws.prediction.storage, count: ws.prediction.count)
            targets.row(start).update(from: ws.targets.storage, count: ws.targets.count)
            batches += 1
            start += batch.count
        }
        let n = Double(batches)
        let mean = LossValues(faithfulness: sums.faithfulness / n, reconstruction: sums.reconstruction / n, pullAway: sums.pullAway / n)
        return ValidationScore(losses: mean, r2: FaithfulnessMetrics(predictions: predictions, targets: targets).r2,
                               deadConcepts: ws.conceptFiringCountsArray.filter { $0 == 0 }.count)
    }

    /// The R² the constrained recipe aims at: the configured target, or what a ridge regression
    /// from z reaches on the validation rows less 0.01 when that is lower, so the constraint is
    /// never one the data cannot meet. Streamed data (no cheap ridge fit) keeps the target.
    func attainableFaithfulness(_ data: ActivationData) throws -> Double {
        let target = settings.faithfulnessTarget
        guard !data.validationRows.isEmpty, !data.isStreamed else { return target }
        func rows(_ indices: [Int], of matrix: Matrix) -> Matrix {
            let out = Matrix(rows: indices.count, columns: matrix.columns)
            ActivationData.gather(rows: indices[...], from: matrix, into: out)
            return out
        }
        let (trainZ, trainY) = (rows(data.trainRows, of: data.inputs), rows(data.trainRows, of: data.targets))
        let (validZ, validY) = (rows(data.validationRows, of: data.inputs), rows(data.validationRows, of: data.targets))
        var best = -Double.infinity
        for ridge in [1e-4, 1e-2, 1] {
            let fit = try LeastSquares.fitAffine(inputs: trainZ, targets: trainY, ridge: ridge)
            let predictions = Matrix(rows: validZ.rows, columns: validY.columns)
            for i in 0..<validZ.rows {
                for c in 0..<validY.columns {
                    var sum = Double(fit.intercepts[c])
                    for d in 0..<validZ.columns { sum += Double(fit.weights[c * validZ.columns + d]) * Double(validZ[i, d]) }
                    predictions[i, c] = Float(sum)
                }
            }
            best = max(best, FaithfulnessMetrics(predictions: predictions, targets: validY).r2)
        }
        return min(target, best - 0.01)
    }
}

/// Keeps the parameters of the best epoch by the validation rows and says when to stop. An epoch
/// with fewer concepts dead on the validation rows wins; then one that meets the faithfulness target (`nil`: no target,
/// the fixed-weight total decides) with the lowest weighted reconstruction and pull-away; failing
/// that, the highest R².
final class BestEpoch {
    private(set) var epoch = 0
    private var key: (dead: Int, missesTarget: Int, score: Double)?
    private var snapshot: [[Float]] = []
    /// How far below the training target the validation R² may be and still count as meeting it.
    static let slack = 0.01

    func consider(epoch: Int, validation: ValidationScore, target: Double?, weights: LossWeights, model: SRAE) {
        let v = validation.losses, dead = validation.deadConcepts
        let rest = Double(weights.reconstruction) * v.reconstruction + Double(weights.pullAway) * v.pullAway
        let candidate: (dead: Int, missesTarget: Int, score: Double)
        if let target {
            // The batches are held at the target; validation rows, unseen, may fall just short.
            candidate = validation.r2 >= target - Self.slack ? (dead, 0, rest) : (dead, 1, -validation.r2)
        } else {
            candidate = (dead, 0, rest + Double(weights.prediction) * v.faithfulness)
        }
        if let key, !(candidate < key) { return }
        key = candidate
        self.epoch = epoch
        snapshot = model.parameters.map { $0.value.toArray() }
    }

    func shouldStop(after epoch: Int, patience: Int) -> Bool { patience > 0 && key != nil && epoch - self.epoch >= patience }

    func restore(into model: SRAE) {
        for (parameter, values) in zip(model.parameters, snapshot) {
            parameter.value.storage.update(from: values, count: values.count)
        }
    }
}
