import Foundation
import XNNLinearAlgebra

/// The epoch order that a stream from disk can follow, used alike for data in memory and on disk
/// so the same seed and settings give the same batches either way:
///
/// 1. the file's rows are cut into chunks of `chunkRows` consecutive rows, and the chunks holding
///    training rows are shuffled;
/// 2. chunks are loaded, in that order, into a shuffle buffer of `bufferRows` rows (test rows are
///    skipped) whenever a whole chunk fits;
/// 3. each row of a batch is drawn uniformly from the buffer and removed.
///
/// For streamed data a background thread reads the next chunks while the step runs (two chunk
/// slots ahead), so memory stays at buffer + two chunks whatever the file size.
public final class ChunkShuffler {
    public let chunkRows: Int
    public let bufferRows: Int
    private let data: ActivationData
    private let isTrainRow: [Bool]
    private let chunks: [Range<Int>]
    var order: [Int]  // carried from epoch to epoch: a checkpoint saves it (TrainingCheckpoint.swift)
    private var nextChunk = 0
    private var held = 0
    /// The shuffle buffer: activations and targets of the rows it holds.
    private let bufferInputs: Matrix
    private let bufferTargets: Matrix
    private var readAhead: ReadAhead?

    /// Bytes this shuffler holds for `columns`-wide rows: the buffer plus two read-ahead chunks.
    public static func memoryBytes(chunkRows: Int, bufferRows: Int, columns: Int, outputs: Int) -> Int {
        bufferRows * (columns + outputs) * 4 + 2 * chunkRows * columns * 4
    }

    public init(data: ActivationData, chunkRows: Int, bufferRows: Int) {
        precondition(chunkRows > 0 && bufferRows >= chunkRows, "shuffle buffer smaller than a chunk")
        self.data = data
        self.chunkRows = chunkRows
        self.bufferRows = bufferRows
        var isTrainRow = [Bool](repeating: false, count: data.sampleCount)
        for r in data.trainRows { isTrainRow[r] = true }
        self.isTrainRow = isTrainRow
        chunks = stride(from: 0, to: data.sampleCount, by: chunkRows)
            .map { $0..<min($0 + chunkRows, data.sampleCount) }
            .filter { chunk in chunk.contains { isTrainRow[$0] } }
        order = Array(chunks.indices)
        bufferInputs = Matrix(rows: bufferRows, columns: data.inputDimension)
        bufferTargets = Matrix(rows: bufferRows, columns: data.outputCount)
    }

    deinit { readAhead?.cancel() }

    /// Shuffles the chunk order and, for streamed data, starts reading ahead.
    public func startEpoch(generator: inout SeededGenerator) {
        readAhead?.cancel()
        generator.shuffle(&order)
        nextChunk = 0
        held = 0
        if let streamed = data.streamed {
            readAhead = ReadAhead(source: streamed, chunks: order.map { chunks[$0] }, chunkRows: chunkRows)
        }
    }

    /// Fills `inputs` and `targets` with the next batch of at most `size` rows; returns the row
    /// count, 0 when the epoch is over. Allocates nothing.
    public func nextBatch(size: Int, inputs: Matrix, targets: Matrix, generator: inout SeededGenerator) throws -> Int {
        inputs.setRowCount(min(size, inputs.capacity / inputs.columns))
        targets.setRowCount(inputs.rows)
        let columns = data.inputDimension, outputs = data.outputCount
        var filled = 0
        while filled < inputs.rows {
            while nextChunk < order.count && held + chunkRows <= bufferRows { try loadNextChunk() }
            if held == 0 { break }
            let pick = generator.nextIndex(below: held)
            inputs.row(filled).update(from: bufferInputs.row(pick), count: columns)
            targets.row(filled).update(from: bufferTargets.row(pick), count: outputs)
            held -= 1
            if pick != held {  // the last row fills the hole
                bufferInputs.row(pick).update(from: bufferInputs.row(held), count: columns)
                bufferTargets.row(pick).update(from: bufferTargets.row(held), count: outputs)
            }
            filled += 1
        }
        inputs.setRowCount(filled)
        targets.setRowCount(filled)
        return filled
    }

    /// Copies the training rows of the next chunk into the buffer.
    private func loadNextChunk() throws {
        let chunk = chunks[order[nextChunk]]
        nextChunk += 1
        let columns = data.inputDimension, outputs = data.outputCount
        let source: UnsafeMutablePointer<Float>
        if let readAhead {
            source = try readAhead.next()
        } else {
            source = data.inputs.row(chunk.lowerBound)
        }
        for r in chunk where isTrainRow[r] {
            bufferInputs.row(held).update(from: source + (r - chunk.lowerBound) * columns, count: columns)
            bufferTargets.row(held).update(from: data.targets.row(r), count: outputs)
            held += 1
        }
        readAhead?.release()
    }
}

/// A thread that reads a fixed sequence of chunks into two slots, one ahead of the consumer.
final class ReadAhead: @unchecked Sendable {
    private let slots: [UnsafeMutablePointer<Float>]
    private let empty = DispatchSemaphore(value: 2)
    private let full = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var consumed = 0
    private var cancelled = false
    private var stopped = false
    private var failure: Error?

    init(source: StreamedActivations, chunks: [Range<Int>], chunkRows: Int) {
        slots = (0..<2).map { _ in .allocate(capacity: chunkRows * source.columns) }
        let thread = Thread { [self] in
            for (index, chunk) in chunks.enumerated() {
                empty.wait()
                if cancelled { break }
                do { try source.read(chunk, into: slots[index % 2]) } catch { failure = error; full.signal(); break }
                full.signal()
            }
            finished.signal()
        }
        thread.name = "xnn-read-ahead"
        thread.start()
    }

    /// The next chunk's rows, once read; valid until `release`.
    func next() throws -> UnsafeMutablePointer<Float> {
        full.wait()
        if let failure { throw failure }
        return slots[consumed % 2]
    }

    func release() {
        consumed += 1
        empty.signal()
    }

    /// Stops reading and waits for the thread (so the file is never read by two threads).
    func cancel() {
        guard !stopped else { return }
        stopped = true
        cancelled = true
        empty.signal()
        empty.signal()
        finished.wait()
    }

    deinit { for slot in slots { slot.deallocate() } }
}
