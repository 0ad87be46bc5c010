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

    /// For each method (model.kind), the k with the lowest BIC averaged over the runs at that k
    /// (the seeds and any other setting), so that the choice does not rest on one seed.
    public func bestConceptCounts() -> [(kind: String, concepts: Int, bic: Double, runs: Int)] {
        let kinds = Set(rows.map { $0.settings["model.kind"] ?? "srae" }).sorted()
        return kinds.compactMap { kind in
            let scored = rows.filter { ($0.settings["model.kind"] ?? "srae") == kind }.compactMap { row -> (Double, Double)? in
                guard let k = row.metrics[Self.conceptsKey], let bic = row.metrics[SweepMetric.bic.key], bic.isFinite else { return nil }
                return (k, bic)
            }
            let byK = Dictionary(grouping: scored, by: \.0).mapValues { ($0.map(\.1).reduce(0, +) / Double($0.count), $0.count) }
            guard let best = byK.min(by: { ($0.value.0, $0.key) < ($1.value.0, $1.key) }) else { return nil }
            return (kind, Int(best.key), best.value.0, best.value.1)
        }
    }
}
