import Foundation
import XNNEvaluation
import XNNModel
import XNNRuns
import XNNTraining

/// Turns training events into progress on stderr and the final summary on stdout. On a terminal
/// one line is rewritten in place (with progress inside long epochs); elsewhere (a log file, a
/// pipe) each epoch is a plain line and a long epoch reports every 10 s. The columns are explained
/// once, before the first epoch.
final class ProgressPrinter {
    let quiet: Bool
    let live: Bool
    private var explained = false
    private var lineOpen = false
    private var lastPlainBatchLine = ContinuousClock.now

    init(quiet: Bool, live: Bool = Terminal.isInteractive) {
        self.quiet = quiet
        self.live = live
    }

    static let legend = "columns: loss = weighted total; faith = faithfulness MSE (α: its weight, adapted to meet the target); "
        + "rec = reconstruction; pt = pull-away, how much concepts overlap (α: its weight); val R² = faithfulness on the "
        + "validation rows; dead = concepts active on no training row; (revived) = rare concepts re-seeded (docs/method.md §4)"

    /// Where a fit's concepts start (docs/method.md §4, "Where the concepts start").
    static func startLine(_ start: ConceptStartRecord) -> String {
        let tried = start.tried.map(String.init).joined(separator: ", ")
        guard let count = start.components, let r2 = start.r2, let loss = start.finalLoss else {
            return "start: random weights (" + (tried.isEmpty ? "too few training rows for independent components)"
                                                : "FastICA identified no component at \(tried) components)")
        }
        return String(format: "start: components %@ of %d independent ones as the concepts (least squares from them "
                      + "rebuilds the targets with R² %.3f; the encoder learnt them to mse %.4f)",
                      start.chosen.map(String.init).joined(separator: ", "), count, r2, loss)
    }

    func handle(_ event: TrainingEvent) {
        guard !quiet else {
            if case .attemptFinished(let report, let next) = event { printLine(Self.fitLine(report, next)) }
            return
        }
        switch event {
        case .pretraining(let layer, let epoch, let epochs, let loss):
            if epoch == epochs || epoch == 1 { printLine(String(format: "pretrain layer %d  epoch %d/%d  mse %.5f", layer + 1, epoch, epochs, loss)) }
        case .conceptStart(let attempt, let start):
            printLine("fit \(attempt + 1)  " + Self.startLine(start))
        case .batches(let attempt, let epoch, let done, let total, let rate):
            let line = String(format: "fit %d  epoch %3d  batch %d/%d  %7.0f samples/s", attempt + 1, epoch, done, total, rate)
            if live {
                update(line)
            } else if lastPlainBatchLine.duration(to: .now) >= .seconds(10) {
                lastPlainBatchLine = .now
                printLine(line)
            }
        case .epoch(let record, let epochs, let remaining):
            if !explained {
                explained = true
                printLine(Self.legend)
            }
            let line = Self.epochLine(record, epochs: epochs, remaining: remaining)
            live ? update(line) : printLine(line)
        case .attemptFinished(let report, let next):
            printLine(Self.fitLine(report, next))
        }
    }

    static func epochLine(_ record: EpochRecord, epochs: Int, remaining: Double) -> String {
        let dead = record.deadConcepts.isEmpty ? "" : "  dead: \(record.deadConcepts.map(String.init).joined(separator: ","))"
        let revived = record.revivedConcepts.isEmpty ? "" : " (revived)"
        let validation = record.validation.map { String(format: "  val R² %.4f", $0.r2) } ?? ""
        // Most telling first: a narrow terminal cuts the end of a rewritten line.
        return String(
            format: "fit %d  epoch %3d/%d  %6.0f samples/s  left %@%@  loss %.5f  faith %.5f (α %.3g)  rec %.5f  pt %.5f (α %.3g)  lr %.0e%@%@",
            record.attempt + 1, record.epoch, epochs, record.samplesPerSecond, Terminal.duration(remaining), validation,
            record.losses.total, record.losses.faithfulness, record.faithfulnessWeight, record.losses.reconstruction,
            record.losses.pullAway, record.pullAwayWeight, record.learningRate, dead, revived)
    }

    static func fitLine(_ report: AttemptReport, _ next: LossWeights?) -> String {
        let contributions = report.meanContributions.map { String(format: "%.3g", $0) }.joined(separator: ", ")
        let retry = next.map { String(format: "; retrying with reconstruction %.3g, pull-away %.3g", $0.reconstruction, $0.pullAway) }
        let regularisation = report.regularisation.map { String(format: " (weight decay %.3g, dropout %.3g)", $0.weightDecay, $0.dropout) }
        return "fit \(report.attempt + 1)\(regularisation ?? ""): \(report.reason); mean contributions [\(contributions)]" + (retry ?? "")
    }

    /// Rewrites the open line (a terminal only), cut to the terminal's width.
    private func update(_ line: String) {
        Terminal.write("\r\u{1B}[K" + String(line.prefix(max(20, Terminal.columns - 1))))
        lineOpen = true
    }

    /// A line of its own, after ending a rewritten one.
    private func printLine(_ line: String) {
        if lineOpen { Terminal.write("\n") }
        lineOpen = false
        Terminal.printError(line)
    }

    func finish(_ summary: TrainingRun.Summary) {
        if lineOpen { Terminal.write("\n") }
        lineOpen = false
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
