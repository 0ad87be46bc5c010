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
        if kind == .pca || kind == .nmf {
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
        let largestLayer = zip(widths, widths.dropFirst()).map { $0 * $1 }.max() ?? 0
        return batchSize * largestLayer < 20_000_000 ? 1 : max(1, cores)
    }
}
