import Foundation

/// The answer a sweep over k gives (docs/sweeps.md, "Choosing k"): for each setting of the other
/// grid keys (the method, the loss weights; never the seed), use the **smallest k whose validation
/// R², averaged over the seeds, is within `ConceptCountChoice.tolerance` of the best k's**, and
/// whose concepts the seeds agree on (matched |correlation| at least `stabilityFloor`); if no k
/// that faithful is stable, the smallest faithful one, saying so. The test rows play no part, as
/// in `model.concepts: auto`; the BIC-like score (docs/method.md §4 step 5) is shown beside it.
public struct ConceptCountRecommendation: Codable, Equatable, Sendable {
    /// One k of the setting: means over its runs (the seeds).
    public struct Candidate: Codable, Equatable, Sendable {
        public var concepts: Int
        public var runs: Int
        public var validationR2: Double
        /// Mean matched |correlation| of concepts between pairs of seeds; nil with one seed.
        public var stability: Double?
        public var bic: Double?

        enum CodingKeys: String, CodingKey { case concepts, runs, validationR2 = "validation_r2", stability, bic }
    }

    /// Concepts the seeds find again with this matched |correlation| count as stable.
    public static let stabilityFloor = 0.8

    /// The grid values this recommendation is for, besides k and the seed (empty when none vary).
    public var setting: [String: String]
    public var recommended: Int
    /// The k with the lowest mean BIC-like score, when the runs have one.
    public var bicChoice: Int?
    public var tolerance: Double
    public var stabilityFloor: Double
    public var reason: String
    public var candidates: [Candidate]

    enum CodingKeys: String, CodingKey {
        case setting, recommended, bicChoice = "bic_choice", tolerance, stabilityFloor = "stability_floor", reason, candidates
    }

    /// One recommendation per setting of `rows` that was trained at two or more k with validation rows.
    public static func recommend(_ rows: [SweepSummary.Row], gridKeys: [String]) -> [ConceptCountRecommendation] {
        let settingKeys = gridKeys.filter { $0 != SweepSummary.conceptsKey && !SweepSummary.repetitionKeys.contains($0) }
        let bySetting = Dictionary(grouping: rows) { row in settingKeys.map { row.settings[$0] ?? "" } }
        return bySetting.keys.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { values in
            let candidates = Self.candidates(bySetting[values]!)
            guard candidates.count > 1 else { return nil }
            return decide(candidates, setting: Dictionary(uniqueKeysWithValues: zip(settingKeys, values)))
        }
    }

    /// Each k's means over its runs that have a validation R².
    static func candidates(_ rows: [SweepSummary.Row]) -> [Candidate] {
        let scored = rows.filter { $0.metrics[SweepMetric.validationR2.key]?.isFinite == true && $0.metrics[SweepSummary.conceptsKey] != nil }
        let byK = Dictionary(grouping: scored) { Int($0.metrics[SweepSummary.conceptsKey]!) }
        return byK.keys.sorted().map { k in
            let runs = byK[k]!
            func mean(_ key: String) -> Double? {
                let values = runs.compactMap { $0.metrics[key] }.filter(\.isFinite)
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            }
            return Candidate(concepts: k, runs: runs.count, validationR2: mean(SweepMetric.validationR2.key)!,
                             stability: mean(SweepMetric.stability.key), bic: mean(SweepMetric.bic.key))
        }
    }

    /// The rule of the type's comment, applied to one setting's candidates (at least one).
    public static func decide(_ candidates: [Candidate], setting: [String: String] = [:],
                              tolerance: Double = ConceptCountChoice.tolerance) -> ConceptCountRecommendation {
        let best = candidates.max { ($0.validationR2, -$0.concepts) < ($1.validationR2, -$1.concepts) }!
        let faithful = candidates.filter { $0.validationR2 >= best.validationR2 - tolerance }.sorted { $0.concepts < $1.concepts }
        let stable = faithful.first { ($0.stability ?? 0) >= stabilityFloor }
        let chosen = stable ?? faithful[0]
        let runs = chosen.runs == 1 ? "1 run" : "\(chosen.runs) runs"
        var reasons = [String(format: "its validation R² (%.4f, mean of ", chosen.validationR2) + runs
                       + String(format: ") is within %.2f of the best (%.4f at k = %d)", tolerance, best.validationR2, best.concepts)]
        if let smaller = candidates.last(where: { $0.concepts < chosen.concepts && $0.validationR2 < best.validationR2 - tolerance }) {
            reasons.append(String(format: "k = %d reaches only %.4f", smaller.concepts, smaller.validationR2))
        }
        reasons.append(stabilitySentence(chosen, skipped: faithful.filter { $0.concepts < chosen.concepts }))
        let bicChoice = candidates.filter { $0.bic?.isFinite == true }.min { ($0.bic!, $0.concepts) < ($1.bic!, $1.concepts) }
        if let bicChoice {
            reasons.append(bicChoice.concepts == chosen.concepts ? "the BIC-like score agrees"
                                                                 : "the BIC-like score (held-out MSE) would take k = \(bicChoice.concepts)")
        }
        return ConceptCountRecommendation(setting: setting, recommended: chosen.concepts, bicChoice: bicChoice?.concepts, tolerance: tolerance,
                                          stabilityFloor: stabilityFloor, reason: "use k = \(chosen.concepts), because " + reasons.joined(separator: "; "),
                                          candidates: candidates)
    }

    private static func stabilitySentence(_ chosen: Candidate, skipped: [Candidate]) -> String {
        let floor = String(format: "%.2f", stabilityFloor)
        guard let stability = chosen.stability else { return "its stability is unknown (one seed: sweep the seed to measure it)" }
        let skippedText = skipped.isEmpty ? "" : "; the smaller k = " + skipped.map { String($0.concepts) }.joined(separator: ", ")
            + " fit as well but their seeds disagree"
        if stability >= stabilityFloor {
            return String(format: "the seeds find the same concepts (matched |corr| %.3f ≥ ", stability) + floor + ")" + skippedText
        }
        return String(format: "no k this faithful has stable concepts: its seeds agree only to matched |corr| %.3f < ", stability) + floor
    }
}
