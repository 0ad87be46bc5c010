/// The weights and options of the training loss `L = α_pred·L_faith + α_rec·L_SR + α_pt·L_PT` (docs/method.md §3).
public struct LossWeights: Codable, Equatable, Sendable {
    public var prediction: Float
    public var reconstruction: Float
    public var pullAway: Float
    public var reconstructionPenalty: ReconstructionPenalty
    /// q in log(1 + q·e_d).
    public var logPenaltyStrength: Float
    public var pullAwayMode: PullAwayMode

    public init(prediction: Float = 1, reconstruction: Float = 15, pullAway: Float = 5,
                reconstructionPenalty: ReconstructionPenalty = .sparseLog, logPenaltyStrength: Float = 100,
                pullAwayMode: PullAwayMode = .features) {
        self.prediction = prediction
        self.reconstruction = reconstruction
        self.pullAway = pullAway
        self.reconstructionPenalty = reconstructionPenalty
        self.logPenaltyStrength = logPenaltyStrength
        self.pullAwayMode = pullAwayMode
    }
}

/// The loss terms of one batch, unweighted, and their weighted sum.
public struct LossValues: Equatable, Sendable {
    public var total: Double = 0
    public var faithfulness: Double = 0
    public var reconstruction: Double = 0
    public var pullAway: Double = 0

    public init(total: Double = 0, faithfulness: Double = 0, reconstruction: Double = 0, pullAway: Double = 0) {
        self.total = total
        self.faithfulness = faithfulness
        self.reconstruction = reconstruction
        self.pullAway = pullAway
    }
}

/// Whether the forward pass drops units: off for inference, a fresh mask for training, or the
/// previous mask again (finite-difference checks need the same network twice).
public enum DropoutMode: Sendable {
    case off
    case sample
    case reuseMask
}
