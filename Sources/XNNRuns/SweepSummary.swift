import Foundation

/// The rows of a sweep's results, and the self-contained summary.html drawn from them (inline
/// SVG charts, no scripts, nothing fetched): faithfulness against k for each method, orthogonality
/// against the pull-away weight (or k), the BIC-like choice of k, and a table sorted by a metric.
public struct SweepSummary {
    public struct Row: Sendable {
        public var run: String
        public var settings: [String: String]
        public var metrics: [String: Double]
        public var deadConcepts: String
    }

    public let title: String
    public let gridKeys: [String]
    public let rows: [Row]

    /// The settings the charts put on their x axes, by their configuration keys.
    public static let conceptsKey = "model.concepts", pullAwayKey = "loss.pull_away"

    public init(title: String, gridKeys: [String], rows: [Row]) {
        self.title = title
        self.gridKeys = gridKeys
        self.rows = rows
    }

    /// docs/method.md §4 step 5, a BIC-like score (lower is better): n·ln(MSE) + ln(n)·(k + 1 + k_nonpositive),
    /// where n is the number of held-out samples, so each concept costs ln(n) and a concept whose
    /// mean contribution is not positive costs twice.
    public static func bic(samples: Double, mse: Double, concepts: Double, positiveConcepts: Double) -> Double {
        samples * log(max(mse, 1e-300)) + log(samples) * (concepts + 1 + (concepts - positiveConcepts))
    }

    /// For each setting of the grid besides k and the seed, the k to use and why (docs/sweeps.md, "Choosing k").
    public func conceptCountRecommendations() -> [ConceptCountRecommendation] {
        ConceptCountRecommendation.recommend(rows, gridKeys: gridKeys)
    }
}
