import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

/// What the validation rows say about the model after one epoch (dropout off).
public struct ValidationScore: Codable, Sendable, Equatable {
    /// The unweighted loss terms, averaged over validation batches.
    public var losses: LossValues
    /// R² of the rebuilt outputs (mean over outputs).
    public var r2: Double
    /// Concepts active on fewer than `training.revive_below` of the validation rows (at least one row).
    public var deadConcepts: Int
}

extension Trainer {
    /// The loss terms and R² of `model` on the validation rows; nil when there are none.
    func validate(_ model: SRAE, data: ActivationData, weights: LossWeights, workspace ws: SRAEWorkspace,
                  generator: inout SeededGenerator) throws -> ValidationScore? {
        guard !data.validationRows.isEmpty else { return nil }
        // Batches as in training, drawn at random (files are often sorted, e.g. by class, and the
        // pull-away term of a batch of one class says little), the same order every epoch.
        var rows = data.validationRows
        var order = SeededGenerator(seed: UInt64(seed), stream: 400)
        order.shuffle(&rows)
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
            sums.add(losses)
            predictions.row(start).update(from: ws.prediction.storage, count: ws.prediction.count)
            targets.row(start).update(from: ws.targets.storage, count: ws.targets.count)
            batches += 1
            start += batch.count
        }
        // A concept active on fewer rows than revival tolerates counts as dead here: it explains
        // (almost) nothing, however orthogonal it looks.
        let rareBelow = max(1, settings.reviveBelow * Double(rows.count))
        return ValidationScore(losses: sums.averaged(over: batches), r2: FaithfulnessMetrics(predictions: predictions, targets: targets).r2,
                               deadConcepts: ws.conceptFiringCountsArray.filter { Double($0) < rareBelow }.count)
    }

    /// The R² the constrained recipe aims at: the configured target, or what a ridge regression
    /// from z reaches on the validation rows less 0.01 when that is lower, so the constraint is
    /// never one the data cannot meet. Streamed data (no cheap ridge fit) keeps the target.
    public func attainableFaithfulness(_ data: ActivationData) throws -> Double {
        let target = settings.faithfulnessTarget
        guard !data.validationRows.isEmpty, !data.isStreamed else { return target }
        let trainZ = ActivationData.gathered(rows: data.trainRows, from: data.inputs)
        let trainY = ActivationData.gathered(rows: data.trainRows, from: data.targets)
        let validZ = ActivationData.gathered(rows: data.validationRows, from: data.inputs)
        let validY = ActivationData.gathered(rows: data.validationRows, from: data.targets)
        var best = -Double.infinity
        let equations = NormalEquations(inputs: trainZ, targets: trainY)
        for ridge in [1e-4, 1e-2, 1] {
            let fit = try equations.solve(ridge: ridge)
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

/// How good an epoch looks on the validation rows, compared field by field (smaller is better).
public struct EpochQuality: Codable, Comparable, Sendable {
    public var dead: Int
    /// 1 − R² when the faithfulness target is missed, else 0.
    public var faithShortfall: Double
    /// How far the pull-away term exceeds the orthogonality target.
    public var orthogonalityExcess: Double
    /// The weighted terms no constraint holds: reconstruction and concept sparsity (the
    /// fixed-weight total for the paper's recipe).
    public var loss: Double

    public static func < (a: EpochQuality, b: EpochQuality) -> Bool {
        (a.dead, a.faithShortfall, a.orthogonalityExcess, a.loss) < (b.dead, b.faithShortfall, b.orthogonalityExcess, b.loss)
    }
}

/// Keeps the parameters of the best epoch by the validation rows and says when to stop. Epochs are
/// ranked by, in order: concepts dead on the validation rows (fewer wins); whether the validation
/// R² meets the faithfulness target (failing that, the higher R² wins); how far the pull-away term
/// exceeds the orthogonality target (0 when met); the weighted terms no constraint holds
/// (reconstruction and concept sparsity): what the constrained recipe minimises.
/// Without a target (the paper's recipe) the fixed-weight total decides.
public final class BestEpoch {
    // Settable within the module: a checkpoint restores them (TrainingCheckpoint.swift).
    var epoch = 0
    var key: EpochQuality?
    var snapshot: [[Float]] = []
    /// How far below the training target the validation R² may be and still count as meeting it.
    public static let slack = 0.01

    func consider(epoch: Int, validation: ValidationScore, target: Double?, orthogonalityTarget: Double?,
                  weights: LossWeights, model: SRAE) {
        let v = validation.losses, dead = validation.deadConcepts
        let unconstrained = Self.unconstrainedLoss(v, weights: weights)
        let candidate: EpochQuality
        if let target {
            // The batches are held at the target; validation rows, unseen, may fall just short.
            let shortfall = validation.r2 >= target - Self.slack ? 0 : 1 - validation.r2
            let excess = orthogonalityTarget.map { max(0, v.pullAway - $0) } ?? Double(weights.pullAway) * v.pullAway
            candidate = EpochQuality(dead: dead, faithShortfall: shortfall, orthogonalityExcess: shortfall > 0 ? 0 : excess,
                                     loss: unconstrained)
        } else {
            candidate = EpochQuality(dead: dead, faithShortfall: 0, orthogonalityExcess: 0,
                                     loss: unconstrained + Double(weights.pullAway) * v.pullAway + Double(weights.prediction) * v.faithfulness)
        }
        if let key, !(candidate < key) { return }
        key = candidate
        self.epoch = epoch
        snapshot = model.parameters.map { $0.value.toArray() }
    }

    /// What the constrained recipe minimises once its constraints hold: the weighted terms
    /// without a multiplier, reconstruction and (when on) concept sparsity.
    static func unconstrainedLoss(_ losses: LossValues, weights: LossWeights) -> Double {
        Double(weights.reconstruction) * losses.reconstruction + Double(weights.conceptSparsity) * losses.sparsity
    }

    /// Patience runs out only once an epoch has met the faithfulness target: before that, the
    /// multiplier is still climbing and a later epoch may be the first good one.
    func shouldStop(after epoch: Int, patience: Int) -> Bool {
        guard patience > 0, let key, key.faithShortfall == 0 else { return false }
        return epoch - self.epoch >= patience
    }

    func restore(into model: SRAE) {
        for (parameter, values) in zip(model.parameters, snapshot) {
            parameter.value.storage.update(from: values, count: values.count)
        }
    }
}
