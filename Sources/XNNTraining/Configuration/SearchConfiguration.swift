import XNNStorage

/// `training.search`: under the constrained recipe, several fits are trained, each from a fresh
/// initialisation and with its own regularisation, and the validation rows choose among them
/// (docs/method.md §4, "Choosing among fits"). The test rows are never looked at.
public struct SearchConfiguration: Encodable, Equatable, Sendable {
    /// How many fits to train (1 = no search; fits past the time budget are skipped).
    public var candidates = 3
    /// Multipliers of `training.weight_decay` tried, in order.
    public var weightDecayFactors: [Float] = [1, 10]
    /// Dropout rates after the first encoder layer tried, in order; nil means `model.dropout` only.
    public var dropout: [Float]? = nil
    /// No new fit starts once the fits so far, plus one more of their mean length, would pass this.
    public var budgetMinutes = 30.0

    enum CodingKeys: String, CodingKey {
        case candidates, weightDecayFactors = "weight_decay_factors", dropout, budgetMinutes = "budget_minutes"
    }

    public init() {}

    public init(section: ConfigSection) throws {
        try section.read(&candidates, CodingKeys.candidates, expected: "a positive integer") { $0 > 0 }
        try section.read(&weightDecayFactors, CodingKeys.weightDecayFactors, expected: "a non-empty list of non-negative numbers") {
            !$0.isEmpty && $0.allSatisfy { $0 >= 0 && $0.isFinite }
        }
        try section.read(&dropout, CodingKeys.dropout, expected: "a non-empty list of probabilities in [0, 1)") {
            !$0.isEmpty && $0.allSatisfy { $0 >= 0 && $0 < 1 }
        }
        try section.read(&budgetMinutes, CodingKeys.budgetMinutes, expected: "a positive number of minutes") { $0 > 0 && $0.isFinite }
        try section.finish()
    }

    /// The regularisation of fit `index`: the grid of weight decay factors × dropout rates in
    /// order (weight decay varying fastest), so the configured values come first.
    public func regularisation(of index: Int, weightDecay: Float, dropout configuredDropout: Float) -> Regularisation {
        let rates = dropout ?? [configuredDropout]
        let grid = weightDecayFactors.count * rates.count
        let position = index % grid
        return Regularisation(weightDecay: weightDecay * weightDecayFactors[position % weightDecayFactors.count],
                              dropout: rates[position / weightDecayFactors.count])
    }
}

/// The regularisation one fit of the search trains with.
public struct Regularisation: Codable, Equatable, Sendable {
    public var weightDecay: Float
    public var dropout: Float
}
