import Foundation

/// Problems found while training: settings the data cannot satisfy, and a run that diverged.
/// One line each (docs/reliability.md).
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case batchLargerThanTrainingRows(file: String, batchSize: Int, trainingRows: Int)
    case diverged(attempt: Int, epoch: Int, found: String, learningRate: Float, standardized: Bool)
    case exceedsMemory(keys: String, neededBytes: Double, availableBytes: Double)

    public var description: String {
        switch self {
        case .batchLargerThanTrainingRows(let file, let batchSize, let trainingRows):
            return "training.batch_size: expected at most the \(trainingRows) training rows of \(file), found \(batchSize)"
        case .exceedsMemory(let keys, let needed, let available):
            return String(format: "%@: expected settings whose weights and buffers fit in this machine's %.1f GB of memory, found at least %.1f GB needed",
                          keys, available / 1e9, needed / 1e9)
        case .diverged(let attempt, let epoch, let found, let learningRate, let standardized):
            let advice = "lower training.learning_rate (now \(learningRate))"
                + (standardized ? "" : " or set data.standardize_activations: true")
            return "training diverged in epoch \(epoch) of attempt \(attempt): \(found); \(advice)"
        }
    }
}
