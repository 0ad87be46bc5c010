import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

extension Trainer {
    /// Data streamed from disk (above `data.memory_budget_mb`) supports the chunk-shuffled epoch
    /// loop and block-wise passes only; say which setting to change when that is not enough.
    func checkStreaming(_ data: ActivationData) throws {
        guard let streamed = data.streamed else { return }
        let budget = "\(streamed.file) takes \(Int((Double(data.sampleCount * data.inputDimension) * 4 / 1_048_576).rounded())) MB, more than data.memory_budget_mb, so it is streamed from disk"
        if settings.shuffle != .chunks {
            throw DataError.streamingUnsupported(key: "training.shuffle", expected: "chunks", found: settings.shuffle.rawValue, reason: budget)
        }
        let shuffleMB = Double(ChunkShuffler.memoryBytes(chunkRows: settings.shuffleChunkRows, bufferRows: settings.shuffleBuffer,
                                                          columns: data.inputDimension, outputs: data.outputCount)) / 1_048_576
        if shuffleMB > streamed.memoryBudgetMB {
            throw DataError.streamingUnsupported(
                key: "training.shuffle_buffer_rows", expected: "a buffer that fits the budget with two read-ahead chunks",
                found: String(format: "%d rows + 2 × %d-row chunks = %.0f MB > data.memory_budget_mb %.0f MB",
                              settings.shuffleBuffer, settings.shuffleChunkRows, shuffleMB, streamed.memoryBudgetMB),
                reason: budget)
        }
        if settings.pretrainEpochs > 0 {
            throw DataError.streamingUnsupported(key: "training.pretrain_epochs", expected: "0", found: "\(settings.pretrainEpochs)", reason: budget)
        }
        if kind.isClosedForm {
            throw DataError.streamingUnsupported(key: "model.kind", expected: "srae, autoencoder or srae_no_reconstruction",
                                                 found: kind.rawValue, reason: budget)
        }
    }

}

extension TrainingConfiguration {
    /// The configured thread count, or for 0: one thread when the largest product of a step is
    /// below ~20 M multiply-adds (measured: two threads were slower there), else one per core
    /// of the `cores` this run may use. Only speed depends on it, never a bit of the results.
    public func threadCount(for architecture: SRAEArchitecture,
                            cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        if threads > 0 { return threads }
        let widths = architecture.encoderWidths
        // In Double: absurd widths reach here before the memory check refuses them.
        let largestLayer = zip(widths, widths.dropFirst()).map { Double($0) * Double($1) }.max() ?? 0
        return Double(batchSize) * largestLayer < 20_000_000 ? 1 : max(1, cores)
    }
}

extension Trainer {
    /// A faithfulness loss this many times the targets' variance (what predicting their mean
    /// costs) is no longer training but divergence.
    static let explodingLossFactor = 1e6

    /// Settings the data cannot satisfy, refused before any memory is allocated for them.
    func checkSettings(against data: ActivationData) throws {
        guard !kind.isClosedForm else { return }  // fitted in closed form, no batches
        if settings.batchSize > data.trainRows.count {
            throw TrainingError.batchLargerThanTrainingRows(file: data.file, batchSize: settings.batchSize, trainingRows: data.trainRows.count)
        }
        try checkMemory(data)
    }

    /// A lower bound of what training allocates, in bytes, refused when it exceeds the machine's
    /// memory (the allocation would abort the process instead): weights with their gradients and
    /// two Adam moments, a batch's activations through encoder and decoder, the shuffle buffer.
    func checkMemory(_ data: ActivationData) throws {
        let float = 4.0, widths = architecture.encoderWidths.map(Double.init)  // in Double: absurd widths overflow Int
        let weights = zip(widths, widths.dropFirst()).reduce(0) { $0 + 2 * $1.0 * $1.1 } + widths.last! * Double(architecture.outputs)
        let parts: [(keys: String, bytes: Double)] = [
            ("model.hidden_widths", 4 * weights * float),
            ("training.batch_size", 2 * Double(settings.batchSize) * widths.reduce(0, +) * float),
            ("training.shuffle_chunk_rows and training.shuffle_buffer_rows", settings.shuffle == .chunks
                ? (Double(settings.shuffleBuffer) * Double(data.inputDimension + data.outputCount) + 2 * Double(settings.shuffleChunkRows) * Double(data.inputDimension)) * float
                : 0),
        ]
        let needed = parts.reduce(0) { $0 + $1.bytes }, available = Double(ProcessInfo.processInfo.physicalMemory)
        guard needed > available, let largest = parts.max(by: { $0.bytes < $1.bytes }) else { return }
        throw TrainingError.exceedsMemory(keys: largest.keys, neededBytes: needed, availableBytes: available)
    }

    /// Stops a run whose loss became NaN or infinite, or exploded, naming the epoch.
    func checkDivergence(_ record: EpochRecord, data: ActivationData) throws {
        let losses = record.losses
        let found: String
        if !losses.total.isFinite || !losses.faithfulness.isFinite {
            found = "the loss became \(losses.total.isFinite ? losses.faithfulness : losses.total)"
        } else if losses.faithfulness > Self.explodingLossFactor * max(data.meanTargetVariance, .leastNormalMagnitude) {
            found = String(format: "the faithfulness loss exploded to %.3g (the targets' variance is %.3g)",
                           losses.faithfulness, data.meanTargetVariance)
        } else if let r2 = record.validation?.r2, !r2.isFinite {
            found = "the validation R² became \(r2)"
        } else {
            return
        }
        throw TrainingError.diverged(attempt: record.attempt + 1, epoch: record.epoch, found: found,
                                     learningRate: settings.learningRate, standardized: !data.activationNormalization.isIdentity)
    }
}
