import XNNLinearAlgebra

/// One-to-one matching of two sets of concepts (docs/method.md §5, stability; reference-concept recovery):
/// the Hungarian assignment that maximises the summed absolute correlation of activation columns.
public struct ConceptMatching: Codable, Equatable, Sendable {
    /// `pairs[i] = (a, b)`: concept a of the first set matched to concept b of the second.
    public var pairs: [[Int]]
    /// |correlation| of each matched pair, in the order of `pairs`.
    public var correlations: [Double]
    public var meanCorrelation: Double

    enum CodingKeys: String, CodingKey { case pairs, correlations, meanCorrelation = "mean_correlation" }

    /// Matches the columns of `a` and `b` (same rows = same samples). A constant column correlates 0.
    public init(_ a: Matrix, _ b: Matrix) {
        precondition(a.rows == b.rows, "concept matching needs the same samples in both sets")
        let columnsA = (0..<a.columns).map { j in (0..<a.rows).map { Double(a[$0, j]) } }
        let columnsB = (0..<b.columns).map { j in (0..<b.rows).map { Double(b[$0, j]) } }
        let similarity = columnsA.map { x in columnsB.map { abs(RankCorrelation.pearson(x, $0)) } }
        let assignment = Hungarian.maximise(similarity)
        pairs = assignment.map { [$0.0, $0.1] }
        correlations = assignment.map { similarity[$0.0][$0.1] }
        meanCorrelation = correlations.isEmpty ? 0 : correlations.reduce(0, +) / Double(correlations.count)
    }
}

/// The Hungarian (Kuhn–Munkres) algorithm, O(n³), for the small square or rectangular matrices of
/// concept matching.
public enum Hungarian {
    /// Row–column pairs maximising the summed `weights`; min(rows, columns) pairs, sorted by row.
    public static func maximise(_ weights: [[Double]]) -> [(Int, Int)] {
        let rows = weights.count, columns = weights.first?.count ?? 0
        guard rows > 0, columns > 0 else { return [] }
        let n = max(rows, columns)
        let largest = weights.flatMap { $0 }.max() ?? 0
        // Square cost matrix: cost = largest − weight; padding costs `largest` (weight 0).
        var cost = [[Double]](repeating: [Double](repeating: largest, count: n + 1), count: n + 1)
        for i in 0..<rows { for j in 0..<columns { cost[i + 1][j + 1] = largest - weights[i][j] } }
        // Potentials formulation (e-maxx), 1-based.
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: n + 1)
        var match = [Int](repeating: 0, count: n + 1), way = [Int](repeating: 0, count: n + 1)
        for i in 1...n {
            match[0] = i
            var j0 = 0
            var minimum = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[j0] = true
                let i0 = match[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...n where !used[j] {
                    let reduced = cost[i0][j] - u[i0] - v[j]
                    if reduced < minimum[j] { minimum[j] = reduced; way[j] = j0 }
                    if minimum[j] < delta { delta = minimum[j]; j1 = j }
                }
                for j in 0...n {
                    if used[j] { u[match[j]] += delta; v[j] -= delta } else { minimum[j] -= delta }
                }
                j0 = j1
            } while match[j0] != 0
            repeat {
                let j1 = way[j0]
                match[j0] = match[j1]
                j0 = j1
            } while j0 != 0
        }
        var result: [(Int, Int)] = []
        for j in 1...n where match[j] >= 1 && match[j] <= rows && j <= columns { result.append((match[j] - 1, j - 1)) }
        return result.sorted { $0.0 < $1.0 }
    }
}
