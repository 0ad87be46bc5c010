import Foundation
import XNNTraining

/// history.csv: one row per fine-tuning epoch of every attempt.
enum HistoryTable {
    static let header = "attempt,epoch,learning_rate,loss,faithfulness,reconstruction,pull_away,faithfulness_weight,pull_away_weight,"
        + "validation_r2,validation_faithfulness,validation_reconstruction,validation_pull_away,validation_dead,kept,"
        + "dead_concepts,revived_concepts,seconds,samples_per_second"

    static func csv(_ records: [EpochRecord]) -> String {
        var lines = [header]
        for r in records {
            let fields: [String] = [
                String(r.attempt + 1), String(r.epoch), "\(r.learningRate)",
                "\(r.losses.total)", "\(r.losses.faithfulness)", "\(r.losses.reconstruction)", "\(r.losses.pullAway)",
                "\(r.faithfulnessWeight)", "\(r.pullAwayWeight)",
                r.validation.map { "\($0.r2)" } ?? "", r.validation.map { "\($0.losses.faithfulness)" } ?? "",
                r.validation.map { "\($0.losses.reconstruction)" } ?? "", r.validation.map { "\($0.losses.pullAway)" } ?? "",
                r.validation.map { "\($0.deadConcepts)" } ?? "",
                r.kept ? "1" : "0",
                r.deadConcepts.map(String.init).joined(separator: " "), r.revivedConcepts.map(String.init).joined(separator: " "),
                String(format: "%.4f", r.seconds), String(format: "%.1f", r.samplesPerSecond),
            ]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
