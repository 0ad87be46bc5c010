import Foundation
import XCTest
import XNNLinearAlgebra
import XNNModel
@testable import XNNTraining

/// The PCA and NMF baselines against scikit-learn (scripts/make_baseline_fixture.py).
final class LinearBaselineTests: XCTestCase {
    struct Fixture: Decodable {
        var rows: Int
        var columns: Int
        var components_count: Int
        var data: [Float]
        var explained_variance_ratio: [Double]
        var components: [[Double]]
        var reconstruction_mse: Double
        var nmf_mu_mse: Double
        var nmf_cd_mse: Double
    }

    func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/baselines.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// NMF reaches scikit-learn's reconstruction error within 5% (both are local optima of the same
    /// objective from different random starts), and its inference codes rebuild the data as well.
    func testNMFAgreesWithScikitLearnWithinFivePercent() throws {
        let f = try loadFixture()
        let data = Matrix(rows: f.rows, columns: f.columns, values: f.data)
        let fit = try NonNegativeFactorization.fit(data, rows: Array(0..<f.rows), components: f.components_count)
        XCTAssertLessThan(fit.meanSquaredError, 1.05 * min(f.nmf_mu_mse, f.nmf_cd_mse), "ours \(fit.meanSquaredError), sklearn mu \(f.nmf_mu_mse), cd \(f.nmf_cd_mse)")
        XCTAssertTrue(fit.basis.toArray().allSatisfy { $0 >= 0 })
        let model = NonNegativeFactorizationModel(basis: fit.basis, outputs: 1)
        let x = Matrix(rows: f.rows, columns: f.components_count), y = Matrix(rows: f.rows, columns: 1)
        let rebuilt = Matrix(rows: f.rows, columns: f.columns)
        model.infer(data, rows: Array(0..<f.rows), concepts: x, predictions: y, reconstructions: rebuilt)
        XCTAssertTrue(x.toArray().allSatisfy { $0 >= 0 })
        var squared = 0.0
        for i in 0..<data.count { squared += pow(Double(rebuilt.storage[i] - data.storage[i]), 2) }
        XCTAssertLessThan(squared / Double(data.count), 1.05 * fit.meanSquaredError)
    }

    func testAgreesWithScikitLearn() throws {
        let f = try loadFixture()
        let data = Matrix(rows: f.rows, columns: f.columns, values: f.data)
        let fit = try PrincipalComponents.fit(data, rows: Array(0..<f.rows), components: f.components_count)
        for (ours, theirs) in zip(fit.variances.map { $0 / fit.totalVariance }, f.explained_variance_ratio) {
            XCTAssertEqual(ours, theirs, accuracy: 1e-4)
        }
        for (ours, theirs) in zip(fit.components, f.components) {  // equal up to sign
            let dot = zip(ours, theirs).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(abs(dot), 1, accuracy: 1e-3)
        }
        // The model built from the fit reconstructs like sklearn's inverse_transform(transform(X)).
        let model = PrincipalComponents.model(fit, outputs: 1)
        let x = Matrix(rows: f.rows, columns: f.components_count), y = Matrix(rows: f.rows, columns: 1)
        let rebuilt = Matrix(rows: f.rows, columns: f.columns)
        model.infer(data, rows: Array(0..<f.rows), concepts: x, predictions: y, reconstructions: rebuilt)
        var squared = 0.0
        for i in 0..<data.count { squared += pow(Double(rebuilt.storage[i] - data.storage[i]), 2) }
        XCTAssertEqual(squared / Double(data.count), f.reconstruction_mse, accuracy: 1e-5)
    }

    func testSymmetricEigenOfAKnownMatrix() throws {
        // [[2, 1, 0], [1, 2, 0], [0, 0, 5]]: eigenvalues 5, 3, 1; the 3 belongs to (1, 1, 0)/√2.
        let (values, vectors) = try SymmetricEigen.leading(2, of: [2, 1, 0, 1, 2, 0, 0, 0, 5], size: 3)
        XCTAssertEqual(values[0], 5, accuracy: 1e-12)
        XCTAssertEqual(values[1], 3, accuracy: 1e-12)
        XCTAssertEqual(abs(vectors[0][2]), 1, accuracy: 1e-12)
        XCTAssertEqual(abs(vectors[1][0]), 0.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(vectors[1][0], vectors[1][1], accuracy: 1e-12)
    }
}
