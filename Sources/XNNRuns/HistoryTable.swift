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

/// history.csv read back (docs/outputs.md): each epoch's numeric columns by their header names,
/// empty fields and the lists of concepts left out.
public struct RunHistory: Sendable {
    public let epochs: [[String: Double]]

    /// The run's history.csv, or nil when it has none (runs of methods trained in one step).
    public static func load(fromRun directory: String) throws -> RunHistory? {
        let path = (directory as NSString).appendingPathComponent("history.csv")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try RunHistory(csv: String(contentsOfFile: path, encoding: .utf8))
    }

    public init(csv: String) {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { epochs = []; return }
        epochs = lines.dropFirst().map { fields in
            var epoch: [String: Double] = [:]
            for (name, field) in zip(header, fields) { if let value = Double(field) { epoch[name] = value } }
            return epoch
        }
    }

    /// The epochs of fit `attempt` (1-based, as in the file).
    public func epochs(ofAttempt attempt: Int) -> [[String: Double]] { epochs.filter { $0["attempt"] == Double(attempt) } }
}
