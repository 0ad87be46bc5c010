import Foundation
import XCTest
import XNNLinearAlgebra
@testable import XNNClustering

/// Ward, silhouette and PCA against SciPy / scikit-learn (scripts/make_clustering_fixture.py).
final class ClusteringReferenceTests: XCTestCase {
    struct Fixture: Decodable {
        struct Flat: Decodable { let labels: [Int]; let silhouette: Double }
        let points: [[Double]]
        let ward_heights: [Double]
        let flat: [String: Flat]
        let tsne_kl: [Double]
        let table: [[Double]]
        let pca_scores: [[Double]]
    }

    func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/clustering.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Two labelings describe the same partition when each label of one maps to exactly one of the other.
    static func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
        guard a.count == b.count else { return false }
        var forward: [Int: Int] = [:], backward: [Int: Int] = [:]
        for (x, y) in zip(a, b) {
            if forward[x, default: y] != y || backward[y, default: x] != x { return false }
            forward[x] = y
            backward[y] = x
        }
        return true
    }

    func testWardHeightsEqualSciPy() throws {
        let f = try fixture()
        let heights = WardLinkage(points: f.points).merges.map(\.height)
        XCTAssertEqual(heights.count, f.ward_heights.count)
        for (ours, theirs) in zip(heights, f.ward_heights) { XCTAssertEqual(ours, theirs, accuracy: 1e-9 * max(1, theirs)) }
    }

    func testWardLabelsAndSilhouetteEqualSciPyAndSklearn() throws {
        let f = try fixture()
        let tree = WardLinkage(points: f.points), distances = DistanceMatrix(points: f.points)
        XCTAssertEqual(f.flat.count, 5)
        for (key, expected) in f.flat {
            let k = try XCTUnwrap(Int(key)), labels = tree.labels(clusters: k)
            XCTAssertEqual(Set(labels).count, k)
            XCTAssertTrue(Self.samePartition(labels, expected.labels), "k = \(k)")
            XCTAssertEqual(Silhouette.mean(distances: distances, labels: labels), expected.silhouette, accuracy: 1e-10, "k = \(k)")
        }
    }

    func testPrincipalScoresEqualSklearnUpToSign() throws {
        let f = try fixture()
        let table = Matrix(rows: f.table.count, columns: f.table[0].count)
        for (r, row) in f.table.enumerated() { for (c, value) in row.enumerated() { table[r, c] = Float(value) } }
        let scores = try PrincipalAxes(table, rows: Array(0..<table.rows), count: 3).scores(of: table)
        for component in 0..<3 {
            let sign: Double = scores[0][component] * f.pca_scores[0][component] < 0 ? -1 : 1
            for r in 0..<table.rows {
                XCTAssertEqual(sign * scores[r][component], f.pca_scores[r][component], accuracy: 2e-5 * max(1, abs(f.pca_scores[r][component])))
            }
        }
    }

    /// With more columns than rows the scores come from the Gram matrix: equal up to sign.
    func testGramScoresEqualCovarianceScoresUpToSign() throws {
        let f = try fixture()
        let wide = Matrix(rows: 12, columns: 30)  // the 30 × 12 table transposed: more columns than rows
        for (r, row) in f.table.enumerated() { for (c, value) in row.enumerated() { wide[c, r] = Float(value) } }
        let viaGram = try PrincipalScores.of(wide, count: 3)
        let viaCovariance = try PrincipalAxes(wide, rows: Array(0..<12), count: 3).scores(of: wide)
        for e in 0..<3 {
            let sign: Double = viaGram[0][e] * viaCovariance[0][e] < 0 ? -1 : 1
            for r in 0..<12 { XCTAssertEqual(sign * viaGram[r][e], viaCovariance[r][e], accuracy: 1e-4 * max(1, abs(viaCovariance[r][e]))) }
        }
    }

    /// Our t-SNE reaches the divergence scikit-learn's exact t-SNE reaches from its own random
    /// starts (within the spread of local optima: 10 % of the smallest).
    func testTSNEDivergenceMatchesSklearn() throws {
        let f = try fixture()
        var tsne = TSNE(seed: 0)
        tsne.perplexity = 10
        let ours = tsne.embed(f.points).finalDivergence
        XCTAssertLessThan(ours, 1.1 * f.tsne_kl.max()!, "sklearn: \(f.tsne_kl)")
        XCTAssertGreaterThan(ours, 0.9 * f.tsne_kl.min()!, "sklearn: \(f.tsne_kl)")
    }

    /// A point alone in its cluster scores 0, and a perfect split of two tight pairs scores near 1.
    func testSilhouetteIdentities() {
        let points: [[Double]] = [[0, 0], [0, 0.01], [10, 0], [10, 0.01], [50, 50]]
        let distances = DistanceMatrix(points: points)
        let score = Silhouette.mean(distances: distances, labels: [0, 0, 1, 1, 2])
        XCTAssertGreaterThan(score, 0.99 * 4 / 5)
        XCTAssertLessThan(score, 4.0 / 5)
    }
}
