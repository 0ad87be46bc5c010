import XNNLinearAlgebra

/// The scores of n points (rows of a matrix) on their `count` leading principal axes, n × count.
/// With more dimensions than points (a channel described by its value on every training row) the
/// axes come from the n × n Gram matrix of the centred points instead of the covariance: the same
/// scores up to the sign of each axis, which distances (t-SNE, Ward) do not see.
public enum PrincipalScores {
    public static func of(_ points: Matrix, count: Int) throws -> [[Double]] {
        let n = points.rows, m = points.columns
        let r = min(count, n, m)
        if m <= n { return try PrincipalAxes(points, rows: Array(0..<n), count: r).scores(of: points) }
        let centred = Matrix(rows: n, columns: m)
        for j in 0..<m {
            var mean = 0.0
            for i in 0..<n { mean += Double(points[i, j]) }
            mean /= Double(n)
            for i in 0..<n { centred[i, j] = Float(Double(points[i, j]) - mean) }
        }
        let gram = Matrix(rows: n, columns: n)
        gram.assignProduct(centred, centred, transposeB: true)
        let (values, vectors) = try SymmetricEigen.leading(r, of: gram.toArray().map(Double.init), size: n)
        return (0..<n).map { i in (0..<r).map { e in vectors[e][i] * max(0, values[e]).squareRoot() } }
    }
}
