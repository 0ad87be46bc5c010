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

    public var schemaVersion = MetricsSchema.version
    /// "train" and, when there are held-out rows, "test".
    public var splits: [String: SplitEvaluation]
    /// V, C × k.
    public var conceptWeights: [[Float]]
    public var targetNames: [String]
    public var acceptance: Acceptance
    /// How many concept revivals training made, over all epochs and attempts.
    public var revivedConcepts: Int

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", splits, conceptWeights = "concept_weights", targetNames = "target_names"
        case acceptance, revivedConcepts = "revived_concepts"
    }

    public var train: SplitEvaluation { splits["train"]! }
    public var test: SplitEvaluation? { splits["test"] }

    public func json() throws -> String { try JSONText.encode(self) }
}
