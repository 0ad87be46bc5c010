import XNNLinearAlgebra

/// Where an epoch's batches come from. The epoch loop asks for batches until one is empty, so the
/// in-memory permutation and the chunk shuffler (in memory or streamed) run the same loop.
public protocol BatchSource: AnyObject {
    func startEpoch(generator: inout SeededGenerator)
    /// Fills the first rows of `inputs` and `targets` with the next batch; returns its size, 0 at the epoch's end.
    func nextBatch(size: Int, inputs: Matrix, targets: Matrix, generator: inout SeededGenerator) throws -> Int
}

extension ChunkShuffler: BatchSource {}

/// `training.shuffle: full`: the training rows in a fresh uniform permutation each epoch.
public final class PermutedRows: BatchSource {
    private let data: ActivationData
    var order: [Int]  // carried from epoch to epoch: a checkpoint saves it (TrainingCheckpoint.swift)
    private var next = 0

    public init(data: ActivationData) {
        self.data = data
        order = data.trainRows
    }

    public func startEpoch(generator: inout SeededGenerator) {
        generator.shuffle(&order)
        next = 0
    }

    public func nextBatch(size: Int, inputs: Matrix, targets: Matrix, generator: inout SeededGenerator) throws -> Int {
        let batch = order[next..<min(next + size, order.count)]
        next += batch.count
        guard !batch.isEmpty else { return 0 }
        ActivationData.gather(rows: batch, from: data.inputs, into: inputs)
        ActivationData.gather(rows: batch, from: data.targets, into: targets)
        return batch.count
    }
}

extension TrainingConfiguration {
    /// The batch source this configuration asks for.
    func batchSource(for data: ActivationData) -> any BatchSource {
        switch shuffle {
        case .full: return PermutedRows(data: data)
        case .chunks: return ChunkShuffler(data: data, chunkRows: shuffleChunkRows, bufferRows: shuffleBuffer)
        }
    }
}
