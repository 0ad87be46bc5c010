import XNNLinearAlgebra

/// How different the concepts are (docs/method.md §5), from the cosines between the columns of a matrix
/// (x or the contributions S): mean cos² (the pull-away value), mean and max |cos|, ‖G − I‖_F / k.
/// A column that is zero throughout has cosine 0 with every other.
public struct OrthogonalityMetrics: Codable, Equatable, Sendable {
    public var meanSquaredCosine: Double
    public var meanAbsoluteCosine: Double
    public var maxAbsoluteCosine: Double
    public var gramDeviation: Double

    enum CodingKeys: String, CodingKey {
        case meanSquaredCosine = "mean_cos2", meanAbsoluteCosine = "mean_abs_cos", maxAbsoluteCosine = "max_abs_cos"
        case gramDeviation = "gram_deviation"
    }

    public init(columnsOf matrix: Matrix) {
        let k = matrix.columns
        let gram = Matrix(rows: k, columns: k)
        gram.assignProduct(matrix, transposeA: true, matrix)
        self.init(gram: (0..<k).map { j in (0..<k).map { Double(gram[j, $0]) } })
    }

    /// The metrics of vectors given one per element (e.g. heatmaps, each flattened), their Gram
    /// matrix summed in double precision.
    public init(vectors: [[Double]]) {
        self.init(gram: vectors.map { a in vectors.map { b in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } } })
    }

    /// From the Gram matrix G of the k vectors (G[j][l] their inner product).
    public init(gram: [[Double]]) {
        let k = gram.count
        var squared = 0.0, absolute = 0.0, maximum = 0.0, deviation = 0.0
        for j in 0..<k {
            let nj = gram[j][j].squareRoot()
            deviation += nj > 0 ? 0 : 1  // a zero column's diagonal is 0, not 1
            for l in 0..<k where l != j {
                let nl = gram[l][l].squareRoot()
                let cosine = nj > 0 && nl > 0 ? gram[j][l] / (nj * nl) : 0
                squared += cosine * cosine
                absolute += abs(cosine)
                maximum = max(maximum, abs(cosine))
                deviation += cosine * cosine
            }
        }
        let pairs = Double(max(k * (k - 1), 1))
        meanSquaredCosine = squared / pairs
        meanAbsoluteCosine = absolute / pairs
        maxAbsoluteCosine = maximum
        gramDeviation = deviation.squareRoot() / Double(max(k, 1))
    }
}
