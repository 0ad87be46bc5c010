import Foundation
import XNNEvaluation
import XNNTraining

/// metrics.json: the numbers a run is judged by. It holds nothing that depends on timing, so two
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

    public var train: SplitMetrics
    public var test: SplitMetrics?
    public var conceptWeights: [[Float]]
    public var targetNames: [String]
    public var acceptance: Acceptance
    /// Dead concepts of the kept model on the training rows; non-empty means a warning.
    public var deadConcepts: [Int]
    public var revivedConcepts: Int

    enum CodingKeys: String, CodingKey {
        case train, test, conceptWeights = "concept_weights", targetNames = "target_names", acceptance
        case deadConcepts = "dead_concepts", revivedConcepts = "revived_concepts"
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
