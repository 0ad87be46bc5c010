import Foundation
import XCTest
import XNNLinearAlgebra

final class WorkerPoolTests: XCTestCase {
    final class Marks: WorkerTask {
        var seen: [Int]
        init(workers: Int) { seen = Array(repeating: 0, count: workers) }
        func run(worker: Int) { seen[worker] += 1 }
    }

    /// Every worker index runs exactly once per call, for several calls.
    func testEveryWorkerRunsOncePerCall() {
        let pool = WorkerPool(threads: 3)
        let marks = Marks(workers: 3)
        for _ in 0..<50 { pool.run(marks) }
        XCTAssertEqual(marks.seen, [50, 50, 50])
    }

    /// Pools made and dropped at once (an optimiser that decides not to share) must not crash:
    /// their threads may still be starting when the pool goes away.
    func testPoolsDroppedImmediatelyOrAfterUseAreSafe() {
        var runs = 0
        for round in 0..<200 {
            let pool = WorkerPool(threads: 2 + round % 3)
            XCTAssertEqual(pool.count, 2 + round % 3)
            if round % 2 == 0 {
                let marks = Marks(workers: pool.count)
                pool.run(marks)
                XCTAssertEqual(marks.seen, Array(repeating: 1, count: pool.count))
                runs += 1
            }
        }
        XCTAssertEqual(runs, 100)
    }

    struct Odd: Error, Equatable { let index: Int }

    /// `map` gives every index's result in index order on any pool, runs every index even when
    /// some throw, and rethrows the first error in index order.
    func testMapKeepsIndexOrderAndRethrowsTheFirstError() {
        for threads in 1...3 {
            let pool = WorkerPool(threads: threads)
            XCTAssertEqual(try pool.map(37) { $0 * $0 }, (0..<37).map { $0 * $0 }, "\(threads) threads")
            XCTAssertEqual(try pool.map(0) { $0 }, [], "\(threads) threads")
            let ran = Marks(workers: 9)
            let lock = NSLock()
            XCTAssertThrowsError(try pool.map(9) { (index: Int) -> Int in
                lock.withLock { ran.seen[index] += 1 }
                if index % 4 == 3 { throw Odd(index: index) }
                return index
            }) { XCTAssertEqual($0 as? Odd, Odd(index: 3)) }
            XCTAssertEqual(ran.seen, Array(repeating: 1, count: 9), "\(threads) threads")
        }
    }
}
