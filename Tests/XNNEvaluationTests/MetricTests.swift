import Foundation
import XCTest
import XNNLinearAlgebra
@testable import XNNEvaluation

/// The metrics against numpy/scipy values (scripts/make_metric_fixture.py) and against identities.
final class MetricTests: XCTestCase {
    struct Fixture: Decodable {
        struct Expected: Decodable {
            var mse: Double
            var r2: Double
            var r2_per_output: [Double]
            var pearson_per_output: [Double]
            var concept_orthogonality: OrthogonalityMetrics
            var contribution_orthogonality: OrthogonalityMetrics
            var mean_contributions: [Double]
            var dead_concepts: [Int]
            var sparsity: Double
            var spearman_per_output: [Double]
            var argmax_agreement: Double
            var sparse_reconstruction_loss: Double
            var explained_variance: Double
            var share_of_dimensions_r2_above_half: Double
            var matching_pairs: [[Int]]
            var matching_correlations: [Double]
        }
        var rows: Int
        var concepts_count: Int
        var outputs: Int
        var concepts: [Float]
        var targets: [Float]
        var predictions: [Float]
        var concept_weights: [Float]
        var dimensions: Int
        var inputs: [Float]
        var reconstructions: [Float]
        var other_concepts: [Float]
        var expected: Expected
    }

    func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/metrics.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func assertClose(_ a: [Double], _ b: [Double], _ message: String, accuracy: Double = 1e-5) {
        XCTAssertEqual(a.count, b.count, message)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, message) }
    }

    func assertClose(_ a: OrthogonalityMetrics, _ b: OrthogonalityMetrics, _ message: String) {
        assertClose([a.meanSquaredCosine, a.meanAbsoluteCosine, a.maxAbsoluteCosine, a.gramDeviation],
                    [b.meanSquaredCosine, b.meanAbsoluteCosine, b.maxAbsoluteCosine, b.gramDeviation], message)
    }

    func testAgainstNumpyFixture() throws {
        let f = try loadFixture()
        let x = Matrix(rows: f.rows, columns: f.concepts_count, values: f.concepts)
        let y = Matrix(rows: f.rows, columns: f.outputs, values: f.targets)
        let p = Matrix(rows: f.rows, columns: f.outputs, values: f.predictions)
        let split = SplitEvaluation(concepts: x, predictions: p, targets: y, conceptWeights: f.concept_weights)
        XCTAssertEqual(split.faithfulness.mse, f.expected.mse, accuracy: 1e-5)
        XCTAssertEqual(split.faithfulness.r2, f.expected.r2, accuracy: 1e-5)
        assertClose(split.faithfulness.r2PerOutput, f.expected.r2_per_output, "R² per output")
        assertClose(FaithfulnessMetrics(predictions: p, targets: y).pearsonPerOutput, f.expected.pearson_per_output, "Pearson")
        assertClose(split.conceptOrthogonality, f.expected.concept_orthogonality, "concept cosines")
        assertClose(split.contributionOrthogonality, f.expected.contribution_orthogonality, "contribution cosines")
        assertClose(split.concepts.meanContributions, f.expected.mean_contributions, "mean contributions")
        XCTAssertEqual(split.concepts.deadConcepts, f.expected.dead_concepts)
        XCTAssertEqual(split.concepts.aliveConcepts, f.concepts_count - f.expected.dead_concepts.count)
        XCTAssertEqual(split.concepts.sparsity, f.expected.sparsity, accuracy: 1e-9)
        let faithfulness = FaithfulnessMetrics(predictions: p, targets: y)
        assertClose(faithfulness.spearmanPerOutput, f.expected.spearman_per_output, "Spearman with ties")
        XCTAssertEqual(faithfulness.argmaxAgreement ?? -1, f.expected.argmax_agreement, accuracy: 1e-12)

        let z = Matrix(rows: f.rows, columns: f.dimensions, values: f.inputs)
        let zHat = Matrix(rows: f.rows, columns: f.dimensions, values: f.reconstructions)
        let reconstruction = ReconstructionMetrics(reconstructions: zHat, targets: z)
        XCTAssertEqual(reconstruction.sparseReconstructionLoss, f.expected.sparse_reconstruction_loss, accuracy: 1e-5)
        XCTAssertEqual(reconstruction.explainedVariance, f.expected.explained_variance, accuracy: 1e-5)
        XCTAssertEqual(reconstruction.shareOfDimensionsAboveHalf, f.expected.share_of_dimensions_r2_above_half, accuracy: 1e-12)

        let matching = ConceptMatching(x, Matrix(rows: f.rows, columns: 3, values: f.other_concepts))
        XCTAssertEqual(matching.pairs, f.expected.matching_pairs)
        assertClose(matching.correlations, f.expected.matching_correlations, "matched correlations")
    }

    func testHungarianFindsTheBestAssignmentWhereGreedyFails() {
        // Greedy takes (0,0)=0.9 and is left with (1,1)=0.1; the optimum is 0.8 + 0.8.
        let pairs = Hungarian.maximise([[0.9, 0.8], [0.8, 0.1]])
        XCTAssertEqual(pairs.map { [$0.0, $0.1] }, [[0, 1], [1, 0]])
        // Rectangular: three rows, two columns.
        XCTAssertEqual(Hungarian.maximise([[0.1, 0.2], [0.9, 0.1], [0.3, 0.8]]).map { [$0.0, $0.1] }, [[1, 0], [2, 1]])
    }

    func testIdentities() {
        // A perfect rebuild has R² = 1 and MSE = 0; predicting the mean has R² = 0.
        let y = Matrix(rows: 4, columns: 1, values: [1, 2, 3, 6])
        XCTAssertEqual(FaithfulnessMetrics(predictions: y, targets: y).r2, 1)
        XCTAssertEqual(FaithfulnessMetrics(predictions: y, targets: y).mse, 0)
        XCTAssertEqual(FaithfulnessMetrics(predictions: Matrix(rows: 4, columns: 1, values: [3, 3, 3, 3]), targets: y).r2, 0, accuracy: 1e-12)
        // Disjoint columns are orthogonal; identical columns have |cos| = 1 and G − I all ones off the diagonal.
        let disjoint = OrthogonalityMetrics(columnsOf: Matrix(rows: 3, columns: 2, values: [1, 0, 2, 0, 0, 5]))
        XCTAssertEqual(disjoint.meanAbsoluteCosine, 0)
        XCTAssertEqual(disjoint.gramDeviation, 0)
        let same = OrthogonalityMetrics(columnsOf: Matrix(rows: 2, columns: 2, values: [1, 1, 2, 2]))
        XCTAssertEqual(same.maxAbsoluteCosine, 1, accuracy: 1e-6)
        XCTAssertEqual(same.gramDeviation, 2.0.squareRoot() / 2, accuracy: 1e-6)
    }
}
