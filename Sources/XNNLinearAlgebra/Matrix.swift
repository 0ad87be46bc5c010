/// A row-major Float32 matrix that owns 64-byte-aligned storage.
///
/// It is a class so that a workspace can hold its buffers once and hand them to every training
/// step without copies. The active shape may shrink below the allocation (a short last batch)
/// without reallocating; the storage stays put.
public final class Matrix {
    public private(set) var rows: Int
    public private(set) var columns: Int
    /// Elements allocated; any shape with at most this many elements fits.
    public let capacity: Int
    /// The elements, row after row; valid for `rows * columns` entries.
    public let storage: UnsafeMutablePointer<Float>

    /// A zero-filled matrix.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative matrix shape \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.capacity = rows * columns
        let byteCount = max(1, rows * columns) * MemoryLayout<Float>.stride
        storage = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(1, rows * columns))
        storage.initialize(repeating: 0, count: max(1, rows * columns))
    }

    /// A matrix holding `values` (row-major, `rows * columns` of them).
    public convenience init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "\(values.count) values for a \(rows)×\(columns) matrix")
        self.init(rows: rows, columns: columns)
        values.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { storage.deallocate() }

    public var count: Int { rows * columns }

    /// Uses the first `rowCount` rows (for a short last batch); no reallocation.
    public func setRowCount(_ rowCount: Int) {
        reshape(rows: rowCount, columns: columns)
    }

    /// Gives the storage a new active shape that fits the allocation; no reallocation.
    public func reshape(rows newRows: Int, columns newColumns: Int) {
        precondition(newRows >= 0 && newColumns >= 0 && newRows * newColumns <= capacity,
                     "shape \(newRows)×\(newColumns) exceeds the allocation of \(capacity) elements")
        rows = newRows
        columns = newColumns
    }

    @inline(__always)
    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The start of row `index`.
    @inline(__always)
    public func row(_ index: Int) -> UnsafeMutablePointer<Float> { storage + index * columns }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: storage, count: count) }

    public func toArray() -> [Float] { Array(buffer) }

    public func fill(_ value: Float) { storage.update(repeating: value, count: count) }

    /// Copies the active rows of `source`, which must have the same shape.
    public func copy(from source: Matrix) {
        precondition(source.rows == rows && source.columns == columns, "copy of \(source.rows)×\(source.columns) into \(rows)×\(columns)")
        storage.update(from: source.storage, count: count)
    }

    /// A new matrix with the same shape and values.
    public func copy() -> Matrix {
        let result = Matrix(rows: rows, columns: columns)
        result.copy(from: self)
        return result
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String { "Matrix(\(rows)×\(columns))" }
}
