import Foundation
import XNNEvaluation
import XNNStorage
import XNNTraining

/// The version of the layout shared by metrics.json and evaluation.json (docs/outputs.md).
public enum MetricsSchema {
    public static let version = 2
}

/// metrics.json: the numbers a run is judged by. Per split, the same `SplitEvaluation` block as
/// evaluation.json; each value is stored once. It holds nothing that depends on timing, so two
/// runs with the same seed on the same machine write identical files.
public struct MetricsReport: Codable, Equatable, Sendable {
    public struct Acceptance: Codable, Equatable, Sendable {
        public var accepted: Bool
        public var attempts: Int
        public var chosenAttempt: Int
        public var reason: String
        public var finalReconstructionWeight: Float
        public var finalPullAwayWeight: Float

        enum CodingKeys: String, CodingKey {
            case accepted, attempts, chosenAttempt = "chosen_attempt", reason
            case finalReconstructionWeight = "final_reconstruction_weight", finalPullAwayWeight = "final_pull_away_weight"
        }
    }

    /// One fit of the training run: its regularisation and how the validation rows judged it.
    public struct Fit: Codable, Equatable, Sendable {
        public var fit: Int
        public var weightDecay: Float?
        public var dropout: Float?
        public var hiddenWidths: [Int]?
        public var accepted: Bool
        public var reason: String
        /// The kept epoch on the validation rows: concepts dead there, whether the faithfulness
        /// target was met, how far the pull-away term exceeded its target, the weighted reconstruction.
        public var validationDead: Int?
        public var faithfulnessMet: Bool?
        public var orthogonalityExcess: Double?
        public var validationReconstruction: Double?
        /// The independent-component start (method.md §4, "Where the concepts start"); absent when
        /// `training.concept_start` is `random`.
        public var start: ConceptStartRecord?
        public var chosen: Bool

        enum CodingKeys: String, CodingKey {
            case fit, weightDecay = "weight_decay", dropout, hiddenWidths = "hidden_widths", accepted, reason, validationDead = "validation_dead"
            case faithfulnessMet = "faithfulness_met", orthogonalityExcess = "orthogonality_excess"
            case validationReconstruction = "validation_reconstruction", start, chosen
        }

        public init(_ report: AttemptReport, chosen: Bool) {
            fit = report.attempt + 1
            weightDecay = report.regularisation?.weightDecay
            dropout = report.regularisation?.dropout
            hiddenWidths = report.regularisation?.hiddenWidths
            accepted = report.accepted
            reason = report.reason
            validationDead = report.quality?.dead
            faithfulnessMet = report.quality.map { $0.faithShortfall == 0 }
            orthogonalityExcess = report.quality?.orthogonalityExcess
            validationReconstruction = report.quality?.loss
            start = report.start
            self.chosen = chosen
        }
    }

    public var schemaVersion = MetricsSchema.version
    /// "train" and, when there are held-out rows, "test".
    public var splits: [String: SplitEvaluation]
    /// V, C × k.
    public var conceptWeights: [[Float]]
    public var targetNames: [String]
    public var acceptance: Acceptance
    /// How many concept revivals training made, over all epochs and attempts.
    public var revivedConcepts: Int
    /// Every fit the run trained, in order, and which one it kept (absent in runs made before fits
    /// were recorded, which stay readable).
    public var fits: [Fit]?
    /// With `model.concepts: auto`: every k tried, its validation R², and the choice.
    public var conceptCount: ConceptCountChoice?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", splits, conceptWeights = "concept_weights", targetNames = "target_names"
        case acceptance, revivedConcepts = "revived_concepts", fits, conceptCount = "concept_count"
    }

    public var train: SplitEvaluation { splits["train"]! }
    public var test: SplitEvaluation? { splits["test"] }

    public func json() throws -> String { try JSONText.encode(self) }
}
