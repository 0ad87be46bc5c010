import Foundation

/// summary.html's "Choosing k" section and summary.json: the recommended k of each setting, its
/// reasons, and the per-k figures it rests on (docs/sweeps.md, "Choosing k").
extension SweepSummary {
    /// summary.json's content: what a script needs to act on the sweep without reading the page.
    public struct JSONSummary: Codable, Equatable, Sendable {
        public var runs: Int
        public var recommendations: [ConceptCountRecommendation]
    }

    public func jsonSummary() -> JSONSummary { JSONSummary(runs: rows.count, recommendations: conceptCountRecommendations()) }

    func conceptCountSection() -> String {
        var html = "<h2>Choosing k</h2>\n<p>The smallest k whose validation R² (mean over the seeds) is within "
        html += String(format: "%.2f of the best k's, among those whose seeds find the same concepts (matched |corr| ≥ %.2f); ",
                       ConceptCountChoice.tolerance, ConceptCountRecommendation.stabilityFloor)
        html += "the test rows play no part. The BIC-like score (held-out MSE, lower is better; docs/method.md §4) is shown beside it.</p>\n"
        let recommendations = conceptCountRecommendations()
        if recommendations.isEmpty {
            return html + "<p>No recommendation: the runs have no validation R² (data.validation_fraction is 0) or no setting was trained at two k.</p>\n"
        }
        for recommendation in recommendations {
            let setting = recommendation.setting.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
            html += "<p class=advice>\(setting.isEmpty ? "" : "<b>\(escape(setting))</b>: ")\(escape(recommendation.reason.prefix(1).uppercased() + recommendation.reason.dropFirst())).</p>\n"
            html += "<table><tr><th>k</th><th>runs</th><th>validation R²</th><th>stability</th><th>BIC</th></tr>\n"
            for candidate in recommendation.candidates {
                let mark = candidate.concepts == recommendation.recommended ? " class=chosen" : ""
                html += "<tr\(mark)><td>\(candidate.concepts)</td><td class=n>\(candidate.runs)</td>"
                html += [candidate.validationR2, candidate.stability, candidate.bic].map { value in
                    "<td class=n>\(value.map { String(format: "%.4g", $0) } ?? "")</td>"
                }.joined() + "</tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }
}
