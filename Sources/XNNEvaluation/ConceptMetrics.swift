import XNNLinearAlgebra

/// What each concept does on a set of samples (docs/method.md §5): its mean contribution
/// `mean_i(x_ij · v̄_j)`, which concepts are dead (never > 0), and the share of zero activations.
public struct ConceptMetrics: Codable, Equatable, Sendable {
    public var meanContributions: [Double]
    public var positiveConcepts: Int
    public var aliveConcepts: Int
    /// Indices of the concepts that are zero for every sample.
    public var deadConcepts: [Int]
    /// Share of (sample, concept) entries that are exactly zero.
    public var sparsity: Double

    enum CodingKeys: String, CodingKey {
        case meanContributions = "mean_contributions", positiveConcepts = "positive_concepts"
        case aliveConcepts = "alive_concepts", deadConcepts = "dead_concepts", sparsity
    }

    public init(concepts x: Matrix, conceptWeights vBar: [Float]) {
        let k = x.columns
        var sums = [Double](repeating: 0, count: k), alive = [Bool](repeating: false, count: k), zeros = 0
        for i in 0..<x.rows {
            for j in 0..<k {
                let value = x[i, j]
                sums[j] += Double(value * vBar[j])
                if value > 0 { alive[j] = true } else { zeros += 1 }
            }
        }
        meanContributions = sums.map { $0 / Double(max(x.rows, 1)) }
        positiveConcepts = meanContributions.filter { $0 > 0 }.count
        deadConcepts = (0..<k).filter { !alive[$0] }
        aliveConcepts = k - deadConcepts.count
        sparsity = Double(zeros) / Double(max(x.count, 1))
    }
}
