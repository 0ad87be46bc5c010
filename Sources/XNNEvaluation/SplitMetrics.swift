import XNNLinearAlgebra

/// The metrics of one split (train or test) as metrics.json reports them.
public struct SplitMetrics: Codable, Equatable, Sendable {
    public var samples: Int
    public var r2: Double
    public var mse: Double
    public var pearson: Double
    public var r2PerOutput: [Double]
    /// Of the concept columns x.
    public var meanAbsCos: Double
    public var conceptOrthogonality: OrthogonalityMetrics
    /// Of the contributions S = x ⊙ v̄.
    public var contributionOrthogonality: OrthogonalityMetrics
    public var aliveConcepts: Int
    public var deadConcepts: [Int]
    public var concepts: ConceptMetrics

    enum CodingKeys: String, CodingKey {
        case samples, r2, mse, pearson, r2PerOutput = "r2_per_output", meanAbsCos = "mean_abs_cos"
        case conceptOrthogonality = "concept_orthogonality", contributionOrthogonality = "contribution_orthogonality"
        case aliveConcepts = "alive_concepts", deadConcepts = "dead_concepts", concepts
    }

    /// `predictions` and `targets` in the original units of the targets.
    public init(concepts x: Matrix, predictions: Matrix, targets: Matrix, conceptWeights vBar: [Float]) {
        let faithfulness = FaithfulnessMetrics(predictions: predictions, targets: targets)
        samples = x.rows
        r2 = faithfulness.r2
        mse = faithfulness.mse
        pearson = faithfulness.pearson
        r2PerOutput = faithfulness.r2PerOutput
        conceptOrthogonality = OrthogonalityMetrics(columnsOf: x)
        let contributions = Matrix(rows: x.rows, columns: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns { contributions[i, j] = x[i, j] * vBar[j] } }
        contributionOrthogonality = OrthogonalityMetrics(columnsOf: contributions)
        meanAbsCos = conceptOrthogonality.meanAbsoluteCosine
        concepts = ConceptMetrics(concepts: x, conceptWeights: vBar)
        aliveConcepts = concepts.aliveConcepts
        deadConcepts = concepts.deadConcepts
    }
}
