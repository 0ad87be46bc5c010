import XNNLinearAlgebra
import XNNStorage

/// Activations that stay in their HDF5 file (larger than `data.memory_budget_mb`): rows are read
/// a range at a time, as hyperslabs, and normalised on the way in.
///
/// One reader at a time: Debian's HDF5 is built without thread safety, so the training loop's
/// read-ahead thread and the main thread never read at once.
public final class StreamedActivations: @unchecked Sendable {
    public let file: String
    public let dataset: String
    public let rows: Int
    public let columns: Int
    public let normalization: Normalization
    /// `data.memory_budget_mb`, which the file exceeds.
    public let memoryBudgetMB: Double
    private let h5: HDF5File

    init(file: String, dataset: String, rows: Int, columns: Int, normalization: Normalization, memoryBudgetMB: Double) throws {
        self.memoryBudgetMB = memoryBudgetMB
        self.file = file
        self.dataset = dataset
        self.rows = rows
        self.columns = columns
        self.normalization = normalization
        h5 = try HDF5File(path: file, mode: .readOnly)
    }

    deinit { h5.close() }

    /// Rows `range` into `buffer` (`range.count × columns` floats), normalised.
    public func read(_ range: Range<Int>, into buffer: UnsafeMutablePointer<Float>) throws {
        try h5.readFloatRows(dataset, rows: range, into: buffer)
        normalization.apply(to: buffer, rows: range.count)
    }

    /// One pass over every row of the file: refuses NaN/Inf (naming row and column) and, when
    /// `fit`, returns the normalisation of the training rows, accumulated in file order exactly
    /// as `Normalization.fit` does in memory; else the identity.
    static func scan(_ h5: HDF5File, dataset: String, rows: Int, columns: Int, trainRows: [Int], fit: Bool,
                     blockRows: Int = 4096) throws -> Normalization {
        let block = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * columns)
        defer { block.deallocate() }
        var accumulator = Normalization.Accumulator(columns: columns)
        var nextTrain = 0
        var start = 0
        while start < rows {
            let range = start..<min(start + blockRows, rows)
            try h5.readFloatRows(dataset, rows: range, into: block)
            for i in 0..<(range.count * columns) where !block[i].isFinite {
                throw DataError.nonFinite(file: h5.path, dataset: dataset, row: start + i / columns, column: i % columns,
                                          value: "\(block[i])")
            }
            if fit {
                while nextTrain < trainRows.count && trainRows[nextTrain] < range.upperBound {
                    accumulator.add(block + (trainRows[nextTrain] - start) * columns)
                    nextTrain += 1
                }
            }
            start = range.upperBound
        }
        return fit ? accumulator.normalization() : .identity(columns: columns)
    }
}
