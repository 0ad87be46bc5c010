/// The weights and options of the training loss `L = α_pred·L_faith + α_rec·L_SR + α_pt·L_PT`
/// (docs/method.md §3). The configuration's `loss:` section decodes straight into this type; its
/// defaults are the ones below and `PullAwayMode.referenceWeights`, nowhere else.
public struct LossWeights: Codable, Equatable, Sendable {
    public var prediction: Float
    public var reconstruction: Float
    public var pullAway: Float
    public var reconstructionPenalty: ReconstructionPenalty
    /// q in log(1 + q·e_d).
    public var logPenaltyStrength: Float
    public var pullAwayMode: PullAwayMode
    /// α_sp, the weight of the optional concept-sparsity term (0 = off).
    public var conceptSparsity: Float = 0

    /// The configuration's key for each field (read by XNNTraining's `loss:` section).
    public enum CodingKeys: String, CodingKey {
        case prediction, reconstruction, pullAway = "pull_away", reconstructionPenalty = "reconstruction_penalty"
        case logPenaltyStrength = "log_penalty_strength", pullAwayMode = "pull_away_mode", conceptSparsity = "concept_sparsity"
    }

    /// A weight left nil takes the reference value of `pullAwayMode`.
    public init(prediction: Float? = nil, reconstruction: Float? = nil, pullAway: Float? = nil,
                reconstructionPenalty: ReconstructionPenalty = .sparseLog, logPenaltyStrength: Float = 100,
                pullAwayMode: PullAwayMode = .features) {
        let reference = pullAwayMode.referenceWeights
        self.prediction = prediction ?? reference.prediction
        self.reconstruction = reconstruction ?? reference.reconstruction
        self.pullAway = pullAway ?? reference.pullAway
        self.reconstructionPenalty = reconstructionPenalty
        self.logPenaltyStrength = logPenaltyStrength
        self.pullAwayMode = pullAwayMode
    }
}

extension PullAwayMode {
    /// The paper's weights (α_pred, α_rec, α_pt) for this mode (docs/method.md §3).
    public var referenceWeights: (prediction: Float, reconstruction: Float, pullAway: Float) {
        switch self {
        case .features: return (1, 15, 5)
        case .samples: return (1, 10, 10)
        }
    }
}

/// The loss terms of one batch, unweighted, and their weighted sum.
public struct LossValues: Codable, Equatable, Sendable {
    public var total: Double = 0
    public var faithfulness: Double = 0
    public var reconstruction: Double = 0
    public var pullAway: Double = 0
    /// The concept-sparsity term (0 when it is off).
    public var sparsity: Double = 0

    public init(total: Double = 0, faithfulness: Double = 0, reconstruction: Double = 0, pullAway: Double = 0, sparsity: Double = 0) {
        self.total = total
        self.faithfulness = faithfulness
        self.reconstruction = reconstruction
        self.pullAway = pullAway
        self.sparsity = sparsity
    }
}

/// Whether the forward pass drops units: off for inference, a fresh mask for training, or the
/// previous mask again (finite-difference checks need the same network twice).
public enum DropoutMode: Sendable {
    case off
    case sample
    case reuseMask
}
