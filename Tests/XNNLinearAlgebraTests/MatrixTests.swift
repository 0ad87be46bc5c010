import XCTest
@testable import XNNLinearAlgebra

final class MatrixTests: XCTestCase {
    func naiveProduct(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b.map { $0[j] }).map(*).reduce(0, +) } }
    }

    func transpose(_ a: [[Float]]) -> [[Float]] { (0..<a[0].count).map { j in a.map { $0[j] } } }

    func testProductWithEveryTransposeCombination() {
        var generator = SeededGenerator(seed: 5)
        let a = (0..<3).map { _ in (0..<4).map { _ in generator.nextFloat(in: -1, 1) } }  // 3×4
        let b = (0..<4).map { _ in (0..<2).map { _ in generator.nextFloat(in: -1, 1) } }  // 4×2
        let expected = naiveProduct(a, b).flatMap { $0 }
        let cases: [(Bool, Bool)] = [(false, false), (true, false), (false, true), (true, true)]
        for (ta, tb) in cases {
            let am = ta ? transpose(a) : a, bm = tb ? transpose(b) : b
            let ma = Matrix(rows: am.count, columns: am[0].count, values: am.flatMap { $0 })
            let mb = Matrix(rows: bm.count, columns: bm[0].count, values: bm.flatMap { $0 })
            let c = Matrix(rows: 3, columns: 2)
            c.fill(1)
            c.assignProduct(ma, transposeA: ta, mb, transposeB: tb, alpha: 2, beta: 0.5)
            for (x, y) in zip(c.toArray(), expected) { XCTAssertEqual(x, 2 * y + 0.5, accuracy: 1e-5) }
        }
    }

    func testReshapeKeepsStorage() {
        let m = Matrix(rows: 4, columns: 4)
        let pointer = m.storage
        m.reshape(rows: 2, columns: 3)
        XCTAssertEqual(m.count, 6)
        XCTAssertEqual(m.storage, pointer)
    }

    func testGeneratorIsRepeatableAndUniform() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        var sum = 0.0
        for _ in 0..<10_000 {
            let x = a.nextUnitFloat()
            XCTAssertEqual(x, b.nextUnitFloat())
            XCTAssert(x >= 0 && x < 1)
            sum += Double(x)
        }
        XCTAssertEqual(sum / 10_000, 0.5, accuracy: 0.02)
        var order = Array(0..<10)
        a.shuffle(&order)
        XCTAssertEqual(order.sorted(), Array(0..<10))
    }

    func testLeastSquaresRecoversAnAffineMap() throws {
        var generator = SeededGenerator(seed: 9)
        let inputs = Matrix(rows: 50, columns: 3), targets = Matrix(rows: 50, columns: 2)
        for i in 0..<50 {
            for j in 0..<3 { inputs[i, j] = generator.nextFloat(in: -1, 1) }
            targets[i, 0] = 2 * inputs[i, 0] - inputs[i, 2] + 0.5
            targets[i, 1] = -3 * inputs[i, 1] + 1
        }
        let fit = try LeastSquares.fitAffine(inputs: inputs, targets: targets, ridge: 0)
        let expected: [Float] = [2, 0, -1, 0, -3, 0]
        for (x, y) in zip(fit.weights, expected) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        XCTAssertEqual(fit.intercepts[0], 0.5, accuracy: 1e-4)
        XCTAssertEqual(fit.intercepts[1], 1, accuracy: 1e-4)
    }

    /// Over several blocks of rows, with a ridge and noisy targets, the solution meets its own
    /// optimality condition, computed here directly in Double:
    /// [X, 1]ᵀ([X, 1]·w − y) + shift·(w without its intercept) = 0 for each target.
    func testRidgeSolutionIsStationaryOverSeveralBlocks() throws {
        var generator = SeededGenerator(seed: 21)
        let n = NormalEquations.blockRows * 2 + 77, d = 6
        let inputs = Matrix(rows: n, columns: d), targets = Matrix(rows: n, columns: 2)
        for i in 0..<n {
            for j in 0..<d { inputs[i, j] = generator.nextFloat(in: -1, 1) + (j == 0 ? 3 : 0) }
            targets[i, 0] = inputs[i, 1] - 2 * inputs[i, 4] + generator.nextFloat(in: -0.5, 0.5)
            targets[i, 1] = generator.nextFloat(in: -1, 1)
        }
        let ridge = 0.3
        let fit = try NormalEquations(inputs: inputs, targets: targets).solve(ridge: ridge)
        var trace = Double(n)
        for i in 0..<n { for j in 0..<d { trace += Double(inputs[i, j]) * Double(inputs[i, j]) } }
        let shift = ridge * trace / Double(d + 1)
        for t in 0..<2 {
            let w = (0..<d).map { Double(fit.weights[t * d + $0]) }, b = Double(fit.intercepts[t])
            var gradient = [Double](repeating: 0, count: d + 1)
            for i in 0..<n {
                var residual = b - Double(targets[i, t])
                for j in 0..<d { residual += w[j] * Double(inputs[i, j]) }
                for j in 0..<d { gradient[j] += Double(inputs[i, j]) * residual }
                gradient[d] += residual
            }
            for j in 0..<d { gradient[j] += shift * w[j] }
            // Relative to the size of the terms (n rows of inputs near 3): Float weights limit it.
            for (j, value) in gradient.enumerated() { XCTAssertEqual(value / Double(n), 0, accuracy: 1e-4, "target \(t), unknown \(j)") }
        }
    }
}
