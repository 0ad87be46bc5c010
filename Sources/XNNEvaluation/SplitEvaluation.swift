import XNNLinearAlgebra

/// Every metric of docs/method.md §5 for one split: the block that metrics.json and
/// evaluation.json both hold under `splits.<name>`, and that sweep tables flatten into columns.
public struct SplitEvaluation: Codable, Equatable, Sendable {
    public var samples: Int
    public var faithfulness: FaithfulnessMetrics
    /// Of the concept columns x.
    public var conceptOrthogonality: OrthogonalityMetrics
    /// Of the contributions S = x ⊙ v̄.
    public var contributionOrthogonality: OrthogonalityMetrics
    /// Absent when the rows were streamed from disk (z and ẑ are not kept side by side then).
    public var reconstruction: ReconstructionMetrics?
    public var concepts: ConceptMetrics
    /// With a `concepts` dataset in the data file: how well the learned concepts recover it.
    public var referenceConcepts: ConceptMatching?

    enum CodingKeys: String, CodingKey {
        case samples, faithfulness, conceptOrthogonality = "concept_orthogonality"
        case contributionOrthogonality = "contribution_orthogonality", reconstruction, concepts
        case referenceConcepts = "reference_concepts"
    }

    /// `predictions` and `targets` in the targets' own units; `vBar` is v̄ (docs/method.md §3).
    public init(concepts x: Matrix, predictions: Matrix, targets: Matrix, conceptWeights vBar: [Float],
                reconstruction: ReconstructionMetrics? = nil, referenceConcepts: ConceptMatching? = nil) {
        samples = x.rows
        faithfulness = FaithfulnessMetrics(predictions: predictions, targets: targets)
        conceptOrthogonality = OrthogonalityMetrics(columnsOf: x)
        contributionOrthogonality = OrthogonalityMetrics(columnsOf: Contributions.summed(concepts: x, conceptWeights: vBar))
        self.reconstruction = reconstruction
        concepts = ConceptMetrics(concepts: x, conceptWeights: vBar)
        self.referenceConcepts = referenceConcepts
    }
}

/// The contributions of docs/method.md §3: S = x ⊙ v̄ (summed over classes) and x_j · V_cj per class.
public enum Contributions {
    /// S_ij = x_ij · v̄_j, rows × k.
    public static func summed(concepts x: Matrix, conceptWeights vBar: [Float]) -> Matrix {
        let s = Matrix(rows: x.rows, columns: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns { s[i, j] = x[i, j] * vBar[j] } }
        return s
    }

    /// x_ij · V_cj, flattened rows × C × k (the layout of concepts.h5's `contributions`).
    public static func perClass(concepts x: Matrix, predictorWeights v: Matrix) -> [Float] {
        let n = x.rows, c = v.rows, k = x.columns
        var values = [Float](repeating: 0, count: n * c * k)
        for i in 0..<n { for o in 0..<c { for j in 0..<k { values[(i * c + o) * k + j] = x[i, j] * v[o, j] } } }
        return values
    }
}
