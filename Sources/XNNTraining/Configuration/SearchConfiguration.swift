import XNNModel
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
    /// Encoder hidden widths tried, in order; nil means `model.hidden_widths` only.
    public var hiddenWidths: [[Int]]? = nil
    /// No new fit starts once the fits so far, plus one more of their mean length, would pass this.
    public var budgetMinutes = 30.0

    enum CodingKeys: String, CodingKey {
        case candidates, weightDecayFactors = "weight_decay_factors", dropout, hiddenWidths = "hidden_widths"
        case budgetMinutes = "budget_minutes"
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
        try section.read(&hiddenWidths, CodingKeys.hiddenWidths, expected: "a non-empty list of lists of positive widths") {
            !$0.isEmpty && $0.allSatisfy { $0.allSatisfy { $0 > 0 } }
        }
        try section.read(&budgetMinutes, CodingKeys.budgetMinutes, expected: "a positive number of minutes") { $0 > 0 && $0.isFinite }
        try section.finish()
    }

    /// The capacity and regularisation of fit `index`: the grid of weight decay factors × dropout
    /// rates × hidden widths in order (weight decay varying fastest, widths slowest), so the
    /// configured values come first.
    public func regularisation(of index: Int, weightDecay: Float, architecture: SRAEArchitecture) -> Regularisation {
        let rates = dropout ?? [architecture.dropout], widths = hiddenWidths ?? [architecture.hiddenWidths]
        let position = index % (weightDecayFactors.count * rates.count * widths.count)
        let (decayIndex, rest) = (position % weightDecayFactors.count, position / weightDecayFactors.count)
        return Regularisation(weightDecay: weightDecay * weightDecayFactors[decayIndex], dropout: rates[rest % rates.count],
                              hiddenWidths: widths[rest / rates.count])
    }
}

/// The capacity and regularisation one fit of the search trains with.
public struct Regularisation: Codable, Equatable, Sendable {
    public var weightDecay: Float
    public var dropout: Float
    public var hiddenWidths: [Int]

    public init(weightDecay: Float, dropout: Float, hiddenWidths: [Int]) {
        self.weightDecay = weightDecay
        self.dropout = dropout
        self.hiddenWidths = hiddenWidths
    }

    /// The configured architecture with this fit's dropout and widths.
    public func applied(to architecture: SRAEArchitecture) -> SRAEArchitecture {
        var fit = architecture
        fit.dropout = dropout
        fit.hiddenWidths = hiddenWidths
        return fit
    }
}
