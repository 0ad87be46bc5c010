import XCTest
@testable import XNNLinearAlgebra

/// Products are cut into blocks by shape alone, so any pool (or none) gives the same bits, and the
/// blocks together compute the whole product.
final class ProductPartitionTests: XCTestCase {
    /// (m, n, k) covering: no split, split rows, split columns, a short last block, K between one
    /// and two of OpenBLAS's K blocks (where its threaded and single-threaded sums differ).
    let shapes = [(40, 30, 20), (700, 90, 400), (64, 600, 600), (300, 1000, 130), (1030, 130, 64)]

    /// Each provider, transpose combination, α and β: the blocked product equals a Double reference.
    func testBlocksTogetherComputeTheWholeProduct() {
        for provider in GEMMProvider.allCases { checkBlocksComputeTheWholeProduct(provider) }
    }

    func checkBlocksComputeTheWholeProduct(_ provider: GEMMProvider) {
        var generator = SeededGenerator(seed: 3)
        let pool = ComputeThreads.openBLAS.use(2)
        for (m, n, k) in shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = ta ? randomMatrix(k, m, &generator) : randomMatrix(m, k, &generator)
                let b = tb ? randomMatrix(n, k, &generator) : randomMatrix(k, n, &generator)
                let c = randomMatrix(m, n, &generator), before = c.copy()
                c.assignProduct(a, transposeA: ta, b, transposeB: tb, alpha: 0.5, beta: 2, pool: pool, provider: provider)
                var worst = 0.0
                for i in stride(from: 0, to: m, by: 7) {
                    for j in stride(from: 0, to: n, by: 5) {
                        var sum = 0.0
                        for l in 0..<k { sum += Double(ta ? a[l, i] : a[i, l]) * Double(tb ? b[j, l] : b[l, j]) }
                        worst = max(worst, abs(Double(c[i, j]) - (0.5 * sum + 2 * Double(before[i, j]))))
                    }
                }
                XCTAssertLessThan(worst, 1e-3, "\(provider): \(m)×\(n)·\(k) transposes \(ta), \(tb)")
            }
        }
    }

    /// The defect: at 1 and 2 threads OpenBLAS gave different bits. Now no pool, and pools
    /// of 1, 2 and 3 workers, give one result, with either provider.
    func testEveryPoolSizeGivesTheSameBits() {
        for provider in GEMMProvider.allCases { checkEveryPoolSizeGivesTheSameBits(provider) }
    }

    func checkEveryPoolSizeGivesTheSameBits(_ provider: GEMMProvider) {
        var generator = SeededGenerator(seed: 11)
        for (m, n, k) in shapes {
            let a = randomMatrix(m, k, &generator), b = randomMatrix(n, k, &generator)
            var results: [[Float]] = []
            for threads in [0, 1, 2, 3] {
                let pool = threads == 0 ? nil : ComputeThreads.openBLAS.use(threads)
                let c = Matrix(rows: m, columns: n)
                c.assignProduct(a, b, transposeB: true, pool: pool, provider: provider)
                results.append(c.toArray())
            }
            for (index, result) in results.enumerated().dropFirst() {
                XCTAssertTrue(result.elementsEqual(results[0]) { $0.bitPattern == $1.bitPattern },
                              "\(provider): \(m)×\(n)·\(k): pool of \(index) differs from no pool")
            }
        }
    }

    /// The cut: the longer side of C, at most four power-of-two blocks of at least 128 rows or
    /// columns and 2 M multiply-adds each, lengths a multiple of 16; small products stay whole.
    func testPartitionFollowsTheShapeOnly() {
        XCTAssertEqual(ProductPartition(m: 50, n: 100, k: 800).blocks, 1)  // too narrow to cut
        XCTAssertEqual(ProductPartition(m: 64, n: 256, k: 64).blocks, 1)  // too little work
        let columns = ProductPartition(m: 256, n: 800, k: 1280)
        XCTAssertEqual([columns.splitsRows ? 1 : 0, columns.blocks, columns.blockLength], [0, 4, 208])
        let rows = ProductPartition(m: 800, n: 128, k: 50)
        XCTAssertEqual([rows.splitsRows ? 1 : 0, rows.blocks, rows.blockLength], [1, 2, 400])
        for (m, n, k) in shapes + [(1, 5000, 5000), (5000, 1, 5000), (129, 129, 1 << 20)] {
            let partition = ProductPartition(m: m, n: n, k: k)
            let length = partition.splitsRows ? m : n
            XCTAssertLessThanOrEqual(partition.blocks, ProductPartition.mostBlocks)
            XCTAssertGreaterThanOrEqual(partition.blocks * partition.blockLength, length)
            XCTAssertLessThan((partition.blocks - 1) * partition.blockLength, length, "no empty block")
        }
    }
}
