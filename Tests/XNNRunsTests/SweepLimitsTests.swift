import Foundation
import XCTest
import XNNTestSupport
import XNNStorage
@testable import XNNRuns

/// Sweep files: the grid is counted before it is expanded, and what the sweep file sets is blamed on it.
final class SweepLimitsTests: FolderTestCase {
    func testEveryShippedSweepExpandsWithinTheLimit() throws {
        let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../experiments").standardized
        let sweeps = try FileManager.default.subpathsOfDirectory(atPath: experiments.path)
            .filter { $0.hasSuffix(".yaml") && (try? String(contentsOf: experiments.appendingPathComponent($0), encoding: .utf8))?.contains("grid:") == true }
        XCTAssertGreaterThanOrEqual(sweeps.count, 4)
        for sweep in sweeps {
            let plan = try SweepPlan(file: experiments.appendingPathComponent(sweep).path, checkFiles: false)  // data made by bench_quality.sh
            XCTAssertTrue((1...SweepPlan.maxRuns).contains(plan.runs.count), sweep)
        }
    }

    func testAHugeGridFailsBeforeItIsExpanded() throws {
        try "data:\n  file: d.h5\n".write(toFile: path("base.yaml"), atomically: true, encoding: .utf8)
        let values = "[" + (1...1000).map(String.init).joined(separator: ", ") + "]"
        let grid = (0..<3).map { "  training.epochs.k\($0): \(values)\n" }.joined()  // 10⁹ points
        try ("base: base.yaml\ngrid:\n" + grid).write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        let start = Date()
        XCTAssertThrowsError(try SweepPlan(file: path("s.yaml"))) {
            XCTAssertEqual("\($0)", "\(self.path("s.yaml")):3: grid: expected at most 10000 runs (the product of the lists' lengths), found 1000000000 runs")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }
}
