import Foundation
import XNNRuns

/// The overview's run header: faithfulness on the train, validation and test rows, the acceptance
/// verdict and why, the fit kept, and that fit's training curves from history.csv.
struct ReviewRunHeader {
    let metrics: MetricsReport?
    let history: RunHistory?

    init(runDirectory: String) throws {
        let metricsPath = (runDirectory as NSString).appendingPathComponent("metrics.json")
        metrics = FileManager.default.fileExists(atPath: metricsPath)
            ? try JSONDecoder().decode(MetricsReport.self, from: Data(contentsOf: URL(fileURLWithPath: metricsPath))) : nil
        history = try RunHistory.load(fromRun: runDirectory)
    }

    /// The fit kept (1-based) and its epochs in history.csv.
    private var keptFit: (fit: Int, epochs: [[String: Double]])? {
        guard let metrics, let history else { return nil }
        let epochs = history.epochs(ofAttempt: metrics.acceptance.chosenAttempt)
        return epochs.isEmpty ? nil : (metrics.acceptance.chosenAttempt, epochs)
    }

    /// The epoch training kept (the validation rows chose it), when history.csv marks one.
    private var keptEpoch: [String: Double]? { keptFit?.epochs.last { $0["kept"] == 1 } }

    var html: String {
        guard let metrics else { return "<p class=\"note\">No metrics.json in this run: no faithfulness or acceptance to show.</p>" }
        let r2 = { (value: Double?) in value.map { HTML.number($0, 4) } ?? "—" }
        var html = "<div class=\"header\"><p><b>Faithfulness R²</b> (how much of the output's variance the concepts rebuild; 1 is perfect): "
        html += "train <b>\(r2(metrics.train.faithfulness.r2))</b> · validation <b>\(r2(keptEpoch?["validation_r2"]))</b> (kept epoch) · "
        html += "test <b>\(r2(metrics.test?.faithfulness.r2))</b></p>"
        let verdict = metrics.acceptance.accepted ? "<b class=\"ok\">accepted</b>" : "<b class=\"dead\">not accepted</b>"
        html += "<p><b>Acceptance</b> (docs/method.md §4): \(verdict)\(Self.reason(metrics.acceptance).map { " — " + HTML.escape($0) } ?? "")</p>"
        html += "<p><b>Fit kept</b>: \(fitDescription(metrics))</p></div>"
        return html + curves
    }

    /// Two plain sentences on the numbers, for the terminal (`xnn visualize`, the quickstart).
    func plainLines(outputName: String, states: [ConceptFacts.State]) -> [String] {
        let alive = states.filter { $0 == .alive }.count, weak = states.filter { $0 == .nearlyDead }.count
        let usage = "\(alive) of \(states.count) concepts alive, \(weak) nearly dead, \(states.count - alive - weak) dead."
        guard let metrics else { return [usage] }
        let split = metrics.test == nil ? "training" : "held-out"
        let r2 = metrics.test?.faithfulness.r2 ?? metrics.train.faithfulness.r2
        return ["Faithfulness: the concepts rebuild \(HTML.number(r2 * 100, 3)) % of the variance of '\(outputName)' on the \(split) images (R² \(HTML.number(r2, 4)); 1 would be perfect).",
                "Acceptance: \(metrics.acceptance.accepted ? "accepted" : "not accepted")\(Self.reason(metrics.acceptance).map { " (\($0))" } ?? ""); " + usage]
    }

    /// Why the run was or was not accepted, unless the reason only repeats the verdict.
    static func reason(_ acceptance: MetricsReport.Acceptance) -> String? {
        acceptance.reason == "accepted" ? nil : acceptance.reason
    }

    private func fitDescription(_ metrics: MetricsReport) -> String {
        var text = "fit \(metrics.acceptance.chosenAttempt) of \(metrics.acceptance.attempts)"
        if let fit = metrics.fits?.first(where: \.chosen) {
            let settings = [fit.weightDecay.map { "weight decay \(HTML.number(Double($0)))" }, fit.dropout.map { "dropout \(HTML.number(Double($0)))" },
                            fit.hiddenWidths.map { "hidden widths \($0.map(String.init).joined(separator: "×"))" }].compactMap { $0 }
            if !settings.isEmpty { text += " (" + settings.joined(separator: ", ") + ")" }
        }
        if let epoch = keptEpoch?["epoch"] { text += ", epoch \(Int(epoch)) kept" }
        return HTML.escape(text)
    }

    /// The kept fit's loss terms (log scale), validation R² and multipliers per epoch, the kept epoch marked.
    private var curves: String {
        guard let (fit, epochs) = keptFit else { return "" }
        func series(_ name: String, _ column: String) -> ChartSeries {
            ChartSeries(name, points: epochs.compactMap { e in e[column].flatMap { y in e["epoch"].map { .init(x: $0, y: y) } } })
        }
        let marker = keptEpoch?["epoch"].map { (x: $0, label: "kept") }
        var losses = SVGLineChart(title: "Training loss terms, fit \(fit)", xLabel: "epoch", yLabel: "loss (log scale)",
                                  series: [series("total", "loss"), series("faithfulness", "faithfulness"),
                                           series("reconstruction", "reconstruction"), series("pull-away", "pull_away")])
        losses.logarithmicY = true
        var validation = SVGLineChart(title: "Validation R², fit \(fit)", xLabel: "epoch", yLabel: "R²",
                                      series: [series("validation R²", "validation_r2")])
        validation.yBounds = -Double.greatestFiniteMagnitude...1
        var multipliers = SVGLineChart(title: "Multipliers, fit \(fit)", xLabel: "epoch", yLabel: "weight",
                                       series: [series("α_pred (faithfulness)", "faithfulness_weight"), series("α_pt (pull-away)", "pull_away_weight")])
        multipliers.yBounds = 0...Double.greatestFiniteMagnitude
        losses.marker = marker; validation.marker = marker; multipliers.marker = marker
        let charts = [losses, validation, multipliers].filter { !$0.series.allSatisfy { $0.points.isEmpty } }
        return "<h2>Training</h2><p>Each epoch of the fit kept; a zero loss term is not drawn on the log scale; the dashed line marks the epoch kept.</p><div class=\"charts\">"
            + charts.map { $0.svg() }.joined() + "</div>"
    }
}
