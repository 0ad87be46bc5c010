import XCTest
@testable import XNNLinearAlgebra

/// The own product kernels (Sources/XNNKernels/gemm.c): each element is one fixed sequence of fused
/// multiply-adds, reproduced here in scalar Swift to the bit, and so the same for any cut of C.
final class KernelProductTests: XCTestCase {
    /// (m, n, k) with tails everywhere: rows not a multiple of the tiles, columns not of 16, K not of
    /// 16 (and long enough for A·Bᵀ, `GEMMProvider.coversWithKernels`).
    let shapes = [(7, 16, 256), (50, 100, 257), (13, 37, 300), (6, 64, 271), (67, 130, 1000)]

    /// op(A)·B: Σ_p A(i, p)·B(p, j), one fused multiply-add per term from p = 0.
    func testBroadcastProductIsSequentialFusedSum() {
        var generator = SeededGenerator(seed: 5)
        for (m, n, k) in shapes {
            for transposeA in [false, true] {
                let a = transposeA ? randomMatrix(k, m, &generator) : randomMatrix(m, k, &generator)
                let b = randomMatrix(k, n, &generator), c = Matrix(rows: m, columns: n)
                c.assignProduct(a, transposeA: transposeA, b, provider: .kernels)
                for i in 0..<m {
                    for j in 0..<n {
                        var sum: Float = 0
                        for p in 0..<k { sum = sum.addingProduct(transposeA ? a[p, i] : a[i, p], b[p, j]) }
                        XCTAssertEqual(c[i, j].bitPattern, sum.bitPattern, "\(m)×\(n)·\(k) transposeA \(transposeA) at (\(i), \(j))")
                    }
                }
            }
        }
    }

    /// A·Bᵀ: 16 lanes of fused sums (term p in lane p mod 16; the last k mod 16 terms in the lanes
    /// where a read of the final 16 puts them), the lanes summed by halves, quarters, then pairs.
    func testTransposedProductIsLaneSumInFixedTree() {
        var generator = SeededGenerator(seed: 6)
        for (m, n, k) in shapes {
            let a = randomMatrix(m, k, &generator), b = randomMatrix(n, k, &generator), c = Matrix(rows: m, columns: n)
            c.assignProduct(a, b, transposeB: true, provider: .kernels)
            for i in 0..<m {
                for j in 0..<n {
                    XCTAssertEqual(c[i, j].bitPattern, laneSum(k: k) { (a[i, $0], b[j, $0]) }.bitPattern,
                                   "\(m)×\(n)·\(k) at (\(i), \(j))")
                }
            }
        }
    }

    /// The kernels' dot product of `terms(p)` for p in 0..<k, in their order.
    func laneSum(k: Int, terms: (Int) -> (Float, Float)) -> Float {
        var lanes = [Float](repeating: 0, count: 16)
        let whole = k / 16 * 16
        for p in 0..<whole { let (x, y) = terms(p); lanes[p % 16] = lanes[p % 16].addingProduct(x, y) }
        for p in whole..<k { let (x, y) = terms(p); lanes[p - (k - 16)] = lanes[p - (k - 16)].addingProduct(x, y) }
        let halves = (0..<8).map { lanes[$0] + lanes[$0 + 8] }
        let quarters = (0..<4).map { halves[$0] + halves[$0 + 4] }
        return (quarters[0] + quarters[2]) + (quarters[1] + quarters[3])
    }

    /// Computing C in arbitrary pieces of rows or columns changes no bit: the property that makes
    /// results independent of the thread count.
    func testAnyCutOfTheResultGivesTheSameBits() {
        var generator = SeededGenerator(seed: 7)
        let (m, n, k) = (61, 150, 277)
        for (ta, tb) in [(false, true), (false, false), (true, false)] {
            let a = ta ? randomMatrix(k, m, &generator) : randomMatrix(m, k, &generator)
            let b = tb ? randomMatrix(n, k, &generator) : randomMatrix(k, n, &generator)
            let whole = Matrix(rows: m, columns: n), pieces = Matrix(rows: m, columns: n)
            whole.assignProduct(a, transposeA: ta, b, transposeB: tb, provider: .kernels)
            let rowCuts = [0, 5, 29, m], columnCuts = [0, 16, 47, 99, n]
            for (r0, r1) in zip(rowCuts, rowCuts.dropFirst()) {
                for (c0, c1) in zip(columnCuts, columnCuts.dropFirst()) {
                    GEMMProvider.kernels.multiply(
                        transposeA: ta, transposeB: tb, m: r1 - r0, n: c1 - c0, k: k, alpha: 1,
                        a: a.storage + (ta ? r0 : r0 * a.columns), lda: a.columns,
                        b: b.storage + (tb ? c0 * b.columns : c0), ldb: b.columns,
                        beta: 0, c: pieces.storage + r0 * n + c0, ldc: n)
                }
            }
            XCTAssertTrue(whole.toArray().elementsEqual(pieces.toArray()) { $0.bitPattern == $1.bitPattern },
                          "transposes \(ta), \(tb): pieces differ from the whole")
        }
    }
}
