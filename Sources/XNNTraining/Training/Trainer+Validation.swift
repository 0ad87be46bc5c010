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
    /// never one the data cannot meet. Streamed rows are read a block at a time.
    public func attainableFaithfulness(_ data: ActivationData) throws -> Double {
        let target = settings.faithfulnessTarget
        guard !data.validationRows.isEmpty else { return target }
        // In blocks of the equations' own size, from memory or from the file alike.
        var equations = NormalEquations(columns: data.inputDimension, outputs: data.outputCount)
        try data.forEachBlock(rows: data.trainRows, blockRows: NormalEquations.blockRows) { positions, block in
            equations.add(inputs: block, targets: ActivationData.gathered(rows: Array(data.trainRows[positions]), from: data.targets))
        }
        let fits = try [1e-4, 1e-2, 1].map { try equations.solve(ridge: $0) }
        let predictions = fits.map { _ in Matrix(rows: data.validationRows.count, columns: data.outputCount) }
        try data.forEachBlock(rows: data.validationRows) { positions, block in
            for (fit, all) in zip(fits, predictions) {
                let part = LeastSquares.predictions(of: fit, for: block)
                for (i, r) in positions.enumerated() { all.row(r).update(from: part.row(i), count: data.outputCount) }
            }
        }
        let validY = ActivationData.gathered(rows: data.validationRows, from: data.targets)
        let best = predictions.map { FaithfulnessMetrics(predictions: $0, targets: validY).r2 }.max() ?? -.infinity
        return min(target, best - 0.01)
    }
}

/// How good an epoch looks on the validation rows, compared field by field (smaller is better).
public struct EpochQuality: Codable, Comparable, Sendable {
    public var dead: Int
    /// 1 − R² when the faithfulness target is missed, else 0.
    public var faithShortfall: Double
    /// How far the pull-away term exceeds the orthogonality target (0 when met).
    public var orthogonalityExcess: Double
    /// How far from meeting both constraints, each in units of its own budget: the R² missing
    /// below the target (less the slack) over 1 − target, plus the excess over the target.
    public var violation: Double
    /// The weighted terms no constraint holds: reconstruction and concept sparsity (the
    /// fixed-weight total for the paper's recipe).
    public var loss: Double

    public init(dead: Int, faithShortfall: Double, orthogonalityExcess: Double, violation: Double = 0, loss: Double) {
        (self.dead, self.faithShortfall, self.orthogonalityExcess, self.violation, self.loss)
            = (dead, faithShortfall, orthogonalityExcess, violation, loss)
    }

    /// Fewer dead concepts, then nearer to meeting the constraints, then the lower loss.
    public static func < (a: EpochQuality, b: EpochQuality) -> Bool {
        (a.dead, a.violation, a.loss) < (b.dead, b.violation, b.loss)
    }

    enum CodingKeys: String, CodingKey { case dead, faithShortfall, orthogonalityExcess, violation, loss }

    /// Checkpoints written before `violation` existed read with the violation recomputed as 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(dead: try c.decode(Int.self, forKey: .dead), faithShortfall: try c.decode(Double.self, forKey: .faithShortfall),
                  orthogonalityExcess: try c.decode(Double.self, forKey: .orthogonalityExcess),
                  violation: try c.decodeIfPresent(Double.self, forKey: .violation) ?? 0, loss: try c.decode(Double.self, forKey: .loss))
    }
}

/// Keeps the parameters of the best epoch by the validation rows and says when to stop. Epochs are
/// ranked by, in order: concepts dead on the validation rows (fewer wins); how far they are from
/// meeting the faithfulness and orthogonality targets, each shortfall in units of its own budget
/// (0 when both are met); the weighted terms no constraint holds (reconstruction and concept
/// sparsity): what the constrained recipe minimises.
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
            candidate = Self.constrainedQuality(dead: dead, r2: validation.r2, pullAway: v.pullAway, target: target,
                                                orthogonalityTarget: orthogonalityTarget,
                                                loss: unconstrained + (orthogonalityTarget == nil ? Double(weights.pullAway) * v.pullAway : 0))
        } else {
            candidate = EpochQuality(dead: dead, faithShortfall: 0, orthogonalityExcess: 0,
                                     loss: unconstrained + Double(weights.pullAway) * v.pullAway + Double(weights.prediction) * v.faithfulness)
        }
        if let key, !(candidate < key) { return }
        key = candidate
        self.epoch = epoch
        snapshot = model.parameters.map { $0.value.toArray() }
    }

    /// An epoch's rank under the constrained recipe. The batches are held at the faithfulness
    /// target, so unseen validation rows may fall `slack` short and still meet it; without an
    /// orthogonality target the pull-away term is one more weighted term, inside `loss`.
    static func constrainedQuality(dead: Int, r2: Double, pullAway: Double, target: Double, orthogonalityTarget: Double?,
                                   loss: Double) -> EpochQuality {
        let missing = max(0, target - slack - r2)
        let excess = orthogonalityTarget.map { max(0, pullAway - $0) } ?? 0
        let violation = missing / max(1 - target, 1e-12) + (orthogonalityTarget.map { excess / $0 } ?? 0)
        return EpochQuality(dead: dead, faithShortfall: missing > 0 ? 1 - r2 : 0, orthogonalityExcess: excess,
                            violation: violation, loss: loss)
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
