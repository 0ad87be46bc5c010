import XNNModel

/// One epoch of joint fine-tuning, as written to history.csv.
public struct EpochRecord: Codable, Sendable, Equatable {
    public var attempt: Int
    public var epoch: Int
    public var learningRate: Float
    /// Mean of the batch losses over the epoch.
    public var losses: LossValues
    /// α_pred and α_pt at the epoch's end (the constrained recipe moves them).
    public var faithfulnessWeight: Float
    public var pullAwayWeight: Float
    /// The validation rows after the epoch, when there are any.
    public var validation: ValidationScore?
    /// Concepts that never fired during the epoch, and those revived after it.
    public var deadConcepts: [Int]
    public var revivedConcepts: [Int]
    public var seconds: Double
    public var samplesPerSecond: Double
    /// The epoch whose parameters the attempt kept (chosen on the validation rows).
    public var kept = false
}

extension LossValues {
    mutating func add(_ other: LossValues) {
        total += other.total
        faithfulness += other.faithfulness
        reconstruction += other.reconstruction
        pullAway += other.pullAway
        sparsity += other.sparsity
    }

    func averaged(over count: Int) -> LossValues {
        let n = Double(max(count, 1))
        return LossValues(total: total / n, faithfulness: faithfulness / n, reconstruction: reconstruction / n, pullAway: pullAway / n,
                          sparsity: sparsity / n)
    }
}

/// The outcome of one attempt of the docs/method.md §4 recipe and the acceptance test.
public struct AttemptReport: Codable, Sendable, Equatable {
    public var attempt: Int
    public var lossWeights: LossWeights
    /// mean_i(x_ij · v̄_j) over the training rows, per concept.
    public var meanContributions: [Double]
    public var positiveConcepts: Int
    /// Concepts that are zero for every training row.
    public var deadConcepts: [Int]
    public var accepted: Bool
    public var reason: String
    public var finalLosses: LossValues
    /// The kept epoch on the validation rows (constrained recipe): fits are chosen by it.
    public var quality: EpochQuality?
    /// The weight decay and dropout the attempt trained with (the search varies them).
    public var regularisation: Regularisation?
    /// The independent-component start of the fit (nil: random start, or resumed from a checkpoint).
    public var start: ConceptStartRecord?
}

/// What the trainer reports as it goes (the CLI prints these to stderr).
public enum TrainingEvent: Sendable {
    case pretraining(layer: Int, epoch: Int, epochs: Int, loss: Double)
    /// Fit `attempt` starts its concepts from independent components.
    case conceptStart(attempt: Int, ConceptStartRecord)
    case epoch(EpochRecord, epochs: Int, secondsRemaining: Double)
    /// Within an epoch, at most once a second: `done` of `total` batches of fit `attempt`.
    case batches(attempt: Int, epoch: Int, done: Int, total: Int, samplesPerSecond: Double)
    /// An attempt ended; `retryWith` holds the re-weighted loss of the next attempt, if any.
    case attemptFinished(AttemptReport, retryWith: LossWeights?)
}

/// The chosen model with the history of every attempt.
public struct TrainingOutcome {
    public let model: any ConceptModel
    public let history: [EpochRecord]
    public let attempts: [AttemptReport]
    /// The attempt whose model was kept.
    public let chosen: AttemptReport
    public let seconds: Double
    /// Samples per second over all fine-tuning epochs.
    public let samplesPerSecond: Double
}
