/// The leading principal axes of a set of rows: the PCA baseline's components (docs/method.md §7)
/// and the projection step of the layer-wise clustering (docs/layers.md).
public struct PrincipalAxes: Sendable {
    /// count × D, orthonormal rows, by decreasing variance.
    public let components: [[Double]]
    /// Variance along each component (eigenvalues of the covariance, divided by n).
    public let variances: [Double]
    public let mean: [Double]
    public let totalVariance: Double

    /// The leading eigenvectors of the covariance of `rows` of `data` (the product of the centred
    /// rows through BLAS, the eigenpairs by LAPACK's `dsyevr`). Each component's largest-magnitude
    /// entry is positive, so the signs do not depend on the solver.
    public init(_ data: Matrix, rows: [Int], count: Int) throws {
        let d = data.columns, n = rows.count
        var mean = [Double](repeating: 0, count: d)
        for r in rows { for j in 0..<d { mean[j] += Double(data[r, j]) } }
        mean = mean.map { $0 / Double(max(n, 1)) }
        let centred = Matrix(rows: n, columns: d)
        for (i, r) in rows.enumerated() { for j in 0..<d { centred[i, j] = Float(Double(data[r, j]) - mean[j]) } }
        let covariance = Matrix(rows: d, columns: d)
        covariance.assignProduct(centred, transposeA: true, centred, alpha: 1 / Float(max(n, 1)))
        var totalVariance = 0.0
        for j in 0..<d { totalVariance += Double(covariance[j, j]) }
        let (values, vectors) = try SymmetricEigen.leading(min(count, d), of: covariance.toArray().map(Double.init), size: d)
        components = vectors.map { component -> [Double] in
            guard let pivot = component.indices.max(by: { abs(component[$0]) < abs(component[$1]) }), component[pivot] < 0 else { return component }
            return component.map { -$0 }
        }
        variances = values.map { max(0, $0) }
        self.mean = mean
        self.totalVariance = totalVariance
    }

    /// The scores of every row of `data` on the axes (rows × count): (row − mean) · componentᵀ.
    public func scores(of data: Matrix) -> [[Double]] {
        (0..<data.rows).map { r in
            components.map { component in
                var sum = 0.0
                for j in 0..<mean.count { sum += (Double(data[r, j]) - mean[j]) * component[j] }
                return sum
            }
        }
    }
}
