import XCTest
import XNNLinearAlgebra
@testable import XNNModel

/// Loss values against direct, naive computations of the docs/method.md §3 formulas in Double.
final class LossValueTests: XCTestCase {
    func randomMatrix(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator, low: Float = -1) -> Matrix {
        let m = Matrix(rows: rows, columns: columns)
        for i in 0..<m.count { m.storage[i] = generator.nextFloat(in: low, 1) }
        return m
    }

    func testFaithfulnessIsMeanSquaredError() {
        var generator = SeededGenerator(seed: 1)
        let p = randomMatrix(4, 3, &generator), t = randomMatrix(4, 3, &generator), g = Matrix(rows: 4, columns: 3)
        var expected = 0.0
        for i in 0..<12 { expected += pow(Double(p.storage[i] - t.storage[i]), 2) }
        XCTAssertEqual(FaithfulnessLoss.evaluate(prediction: p, target: t, gradient: g, scale: 1), expected / 12, accuracy: 1e-6)
    }

    func testSparseLogMatchesFormula() {
        var generator = SeededGenerator(seed: 2)
        let r = randomMatrix(5, 4, &generator), t = randomMatrix(5, 4, &generator), g = Matrix(rows: 5, columns: 4)
        let errors = UnsafeMutablePointer<Double>.allocate(capacity: 4)
        defer { errors.deallocate() }
        var expected = 0.0
        for d in 0..<4 {
            var e = 0.0
            for i in 0..<5 { e += pow(Double(r[i, d] - t[i, d]), 2) }
            expected += log(1 + 100 * e / 5)
        }
        let value = ReconstructionLoss.evaluate(penalty: .sparseLog, reconstruction: r, target: t, gradient: g,
                                                scale: 1, logPenaltyStrength: 100, dimensionErrors: errors)
        XCTAssertEqual(value, expected / 4, accuracy: 1e-6)
    }

    func naivePullAway(_ vectors: [[Double]]) -> Double {
        let n = vectors.count
        var total = 0.0
        for j in 0..<n {
            for l in 0..<n where l != j {
                let dot = zip(vectors[j], vectors[l]).map(*).reduce(0, +)
                let nj = vectors[j].map { $0 * $0 }.reduce(0, +).squareRoot()
                let nl = vectors[l].map { $0 * $0 }.reduce(0, +).squareRoot()
                let c = dot / (nj * nl + PullAwayLoss.epsilon)
                total += c * c
            }
        }
        return total / Double(n * (n - 1))
    }

    func testPullAwayMatchesFormulaInBothOrientations() {
        var generator = SeededGenerator(seed: 3)
        let s = randomMatrix(6, 3, &generator, low: 0)
        let columns = (0..<3).map { j in (0..<6).map { Double(s[$0, j]) } }
        let rows = (0..<6).map { i in (0..<3).map { Double(s[i, $0]) } }
        let gram = Matrix(rows: 3, columns: 3), coupling = Matrix(rows: 3, columns: 3)
        gram.assignProduct(s, transposeA: true, s)
        XCTAssertEqual(PullAwayLoss.evaluate(gram: gram, coupling: coupling, scale: 1), naivePullAway(columns), accuracy: 1e-6)
        let sampleGram = Matrix(rows: 6, columns: 6), sampleCoupling = Matrix(rows: 6, columns: 6)
        sampleGram.assignProduct(s, s, transposeB: true)
        XCTAssertEqual(PullAwayLoss.evaluate(gram: sampleGram, coupling: sampleCoupling, scale: 1), naivePullAway(rows), accuracy: 1e-6)
    }

    func testPullAwayOfOrthogonalVectorsIsZeroAndOfParallelIsOne() {
        let orthogonal = Matrix(rows: 4, columns: 2, values: [1, 0, 2, 0, 0, 3, 0, 1])
        let parallel = Matrix(rows: 4, columns: 2, values: [1, 2, 2, 4, 3, 6, 1, 2])
        for (s, expected) in [(orthogonal, 0.0), (parallel, 1.0)] {
            let gram = Matrix(rows: 2, columns: 2), coupling = Matrix(rows: 2, columns: 2)
            gram.assignProduct(s, transposeA: true, s)
            XCTAssertEqual(PullAwayLoss.evaluate(gram: gram, coupling: coupling, scale: 1), expected, accuracy: 1e-6)
        }
    }

    func testDeadConceptGivesFiniteGradient() {
        let s = Matrix(rows: 3, columns: 2, values: [1, 0, 2, 0, 3, 0])
        let gram = Matrix(rows: 2, columns: 2), coupling = Matrix(rows: 2, columns: 2)
        gram.assignProduct(s, transposeA: true, s)
        XCTAssertEqual(PullAwayLoss.evaluate(gram: gram, coupling: coupling, scale: 1), 0)
        XCTAssertTrue(coupling.toArray().allSatisfy(\.isFinite))
    }
}
