import Foundation
import XNNEvaluation
import XNNRuns
import XNNTraining

/// Turns training events into progress lines on stderr and the final summary on stdout.
struct ProgressPrinter {
    let quiet: Bool

    func handle(_ event: TrainingEvent) {
        switch event {
        case .pretraining(let layer, let epoch, let epochs, let loss):
            if !quiet && (epoch == epochs || epoch == 1) {
                Terminal.printError(String(format: "pretrain layer %d  epoch %d/%d  mse %.5f", layer + 1, epoch, epochs, loss))
            }
        case .epoch(let record, let epochs, let remaining):
            guard !quiet else { return }
            let dead = record.deadConcepts.isEmpty ? "" : "  dead: \(record.deadConcepts.map(String.init).joined(separator: ","))"
            let revived = record.revivedConcepts.isEmpty ? "" : " (revived)"
            let validation = record.validation.map { String(format: "  val R² %.4f", $0.r2) } ?? ""
            Terminal.printError(String(
                format: "fit %d  epoch %3d/%d  loss %.5f  faith %.5f (α %.3g)  rec %.5f  pt %.5f (α %.3g)%@  lr %.0e  %7.0f samples/s  left %@%@%@",
                record.attempt + 1, record.epoch, epochs, record.losses.total, record.losses.faithfulness, record.faithfulnessWeight,
                record.losses.reconstruction, record.losses.pullAway, record.pullAwayWeight, validation, record.learningRate, record.samplesPerSecond,
                Terminal.duration(remaining), dead, revived))
        case .attemptFinished(let report, let next):
            let contributions = report.meanContributions.map { String(format: "%.3g", $0) }.joined(separator: ", ")
            let retry = next.map { String(format: "; retrying with reconstruction %.3g, pull-away %.3g", $0.reconstruction, $0.pullAway) }
            let regularisation = report.regularisation.map { String(format: " (weight decay %.3g, dropout %.3g)", $0.weightDecay, $0.dropout) }
            Terminal.printError("fit \(report.attempt + 1)\(regularisation ?? ""): \(report.reason); mean contributions [\(contributions)]"
                                + (retry ?? ""))
        }
    }

    func finish(_ summary: TrainingRun.Summary) {
        let m = summary.metrics
        var lines = ["run: \(summary.directory)"]
        func describe(_ name: String, _ split: SplitEvaluation?) {
            guard let s = split else { return }
            lines.append(String(format: "%@  R² %.4f  MSE %.5g  mean|cos| %.3f  alive %d/%d", name, s.faithfulness.r2, s.faithfulness.mse,
                                s.contributionOrthogonality.meanAbsoluteCosine, s.concepts.aliveConcepts,
                                s.concepts.aliveConcepts + s.concepts.deadConcepts.count))
        }
        describe("train     ", m.train)
        describe("validation", m.splits["validation"])
        describe("test      ", m.test)
        let verdict = m.acceptance.accepted ? "accepted" : "NOT accepted: \(m.acceptance.reason)"
        if summary.outcome.samplesPerSecond > 0 {
            let flops = 6.0 * Double(summary.multiplyAddsPerSample) * summary.outcome.samplesPerSecond / 1e9
            let fits = m.acceptance.attempts > 1 ? "\(m.acceptance.attempts) fits, fit \(m.acceptance.chosenAttempt) kept" : "1 fit"
            lines.append(String(format: "training: %.1f s, %.0f samples/s (%.2f GFLOP/s effective), %@, %@",
                                summary.outcome.seconds, summary.outcome.samplesPerSecond, flops, fits, verdict))
        } else {
            lines.append(String(format: "fitted in %.2f s, %@", summary.outcome.seconds, verdict))
        }
        lines.append(Self.plainWords(m, concepts: m.conceptWeights.first?.count ?? 0))
        lines.append("next: xnn visualize \(summary.directory) --out \(summary.directory)/review   (concept pages, heatmaps, decompositions)")
        print(lines.joined(separator: "\n"))
        let dead = m.train.concepts.deadConcepts
        if !dead.isEmpty {
            Terminal.printError("xnn: WARNING: concept(s) \(dead.map(String.init).joined(separator: ", ")) are dead (zero for every training sample): they explain nothing")
        }
    }

    /// The numbers above in a sentence a newcomer can read.
    static func plainWords(_ m: MetricsReport, concepts k: Int) -> String {
        guard let split = m.test ?? m.splits["validation"] else { return "" }
        let name = m.test == nil ? "validation" : "held-out"
        let outputs = m.targetNames.count == 1 ? "the CNN's \"\(m.targetNames[0])\" score" : "the CNN's \(m.targetNames.count) scores"
        let dead = split.concepts.deadConcepts.count
        return String(format: "in words: %d concepts rebuild %@ on %@ rows with R² %.3f (1 = exactly); their contributions "
                      + "overlap with mean |cos| %.2f (0 = never active together); %@; %@.",
                      k, outputs, name, split.faithfulness.r2, split.contributionOrthogonality.meanAbsoluteCosine,
                      dead == 0 ? "every concept is used" : "\(dead) concept(s) are never active",
                      m.acceptance.accepted ? "accepted: at least two concepts carry comparable evidence (docs/method.md §4)"
                          : "not accepted (docs/method.md §4): \(m.acceptance.reason)")
    }
}
