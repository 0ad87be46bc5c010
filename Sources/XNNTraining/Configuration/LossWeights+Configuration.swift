import XNNModel
import XNNStorage

extension ReconstructionPenalty: ConfigEnumeration {}
extension PullAwayMode: ConfigEnumeration {}

extension LossWeights {
    /// The `loss:` section. Unset weights take the reference values of the chosen
    /// `pull_away_mode`; the ablation kinds then switch off the term they remove.
    public init(section: ConfigSection, kind: ModelKind = .srae) throws {
        var mode = PullAwayMode.features
        try section.read(&mode, CodingKeys.pullAwayMode)
        self.init(pullAwayMode: mode)
        let nonNegative = "a non-negative number"
        try section.read(&prediction, CodingKeys.prediction, expected: nonNegative) { $0 >= 0 }
        try section.read(&reconstruction, CodingKeys.reconstruction, expected: nonNegative) { $0 >= 0 }
        try section.read(&pullAway, CodingKeys.pullAway, expected: nonNegative) { $0 >= 0 }
        try section.read(&reconstructionPenalty, CodingKeys.reconstructionPenalty)
        try section.read(&logPenaltyStrength, CodingKeys.logPenaltyStrength, expected: "a positive number") { $0 > 0 }
        try section.read(&conceptSparsity, CodingKeys.conceptSparsity, expected: nonNegative) { $0 >= 0 }
        // The ablation kinds remove one term whatever the loss section says, so one base
        // configuration serves every kind of a sweep; the resolved config records what was used.
        switch kind {
        case .srae, .pca, .nmf, .channelClusters: break
        case .autoencoder:
            pullAway = 0
            reconstructionPenalty = .meanSquared
        case .sraeNoReconstruction:
            reconstruction = 0
        }
        try section.finish()
    }
}
