import XNNLinearAlgebra

/// Per-column affine maps `(value − mean) / scale`, fitted on the training rows only and saved
/// with the model so new data goes through the same map.
public struct Normalization: Equatable, Sendable {
    public var mean: [Float]
    public var scale: [Float]

    public init(mean: [Float], scale: [Float]) {
        precondition(mean.count == scale.count)
        self.mean = mean
        self.scale = scale
    }

    public static func identity(columns: Int) -> Normalization {
        Normalization(mean: [Float](repeating: 0, count: columns), scale: [Float](repeating: 1, count: columns))
    }

    public var isIdentity: Bool { mean.allSatisfy { $0 == 0 } && scale.allSatisfy { $0 == 1 } }

    /// Mean and standard deviation of each column over `rows`; a constant column keeps scale 1.
    public static func fit(_ matrix: Matrix, rows: [Int]) -> Normalization {
        var accumulator = Accumulator(columns: matrix.columns)
        for r in rows { accumulator.add(matrix.row(r)) }
        return accumulator.normalization()
    }

    /// Column sums in Double, row by row: one code path for a matrix in memory and for rows
    /// streamed from a file, so both give the same bits.
    public struct Accumulator {
        private var sum: [Double], squares: [Double], count = 0

        public init(columns: Int) {
            sum = [Double](repeating: 0, count: columns)
            squares = sum
        }

        public mutating func add(_ row: UnsafePointer<Float>) {
            for c in 0..<sum.count { let v = Double(row[c]); sum[c] += v; squares[c] += v * v }
            count += 1
        }

        public func normalization() -> Normalization {
            let columns = sum.count, n = Double(max(count, 1))
            var result = Normalization.identity(columns: columns)
            for c in 0..<columns {
                let mean = sum[c] / n
                let variance = max(0, squares[c] / n - mean * mean)
                result.mean[c] = Float(mean)
                result.scale[c] = variance > 1e-12 ? Float(variance.squareRoot()) : 1
            }
            return result
        }
    }

    public func apply(to matrix: Matrix) {
        precondition(matrix.columns == mean.count)
        apply(to: matrix.storage, rows: matrix.rows)
    }

    /// The map on `rows` consecutive rows of `mean.count` values.
    public func apply(to values: UnsafeMutablePointer<Float>, rows: Int) {
        let columns = mean.count
        for r in 0..<rows {
            let row = values + r * columns
            for c in 0..<columns { row[c] = (row[c] - mean[c]) / scale[c] }
        }
    }

    public func invert(_ matrix: Matrix) {
        precondition(matrix.columns == mean.count)
        for r in 0..<matrix.rows {
            let row = matrix.row(r)
            for c in 0..<matrix.columns { row[c] = row[c] * scale[c] + mean[c] }
        }
    }
}
