import Foundation
import XCTest
import XNNTestSupport

/// `xnn bench` end to end on a tiny case: table, JSON, refusal to overwrite, bad case syntax.
final class BenchCommandTests: FolderTestCase {
    func testBenchWritesTableAndJSONAndRefusesToOverwrite() throws {
        let arguments = ["bench", "--case", "16:8:3", "--batch", "4", "--samples", "32", "--epochs", "1",
                         "--threads", "1", "--no-torch", "--json", "bench.json",
                         "--streaming-rows", "3000"]
        let first = try XNNProcess.run(arguments, in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("D=16 8 k=3 B=4"), first.stdout)
        XCTAssertTrue(first.stdout.contains("SGEMM 1024×1024·1024×1024"), first.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("bench.json"))) as? [String: Any]
        XCTAssertEqual((json?["cases"] as? [Any])?.count, 1)
        let streaming = try XCTUnwrap(json?["streaming"] as? [String: Any])
        XCTAssertGreaterThanOrEqual((streaming["fileMegabytes"] as! Double) / (streaming["budgetMegabytes"] as! Double), 4)
        XCTAssertGreaterThan(streaming["streamedSamplesPerSecond"] as! Double, 0)
        XCTAssertTrue(first.stdout.contains("streaming D=16 8 k=3 B=4"), first.stdout)

        let again = try XNNProcess.run(arguments, in: folder)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("bench.json") && again.stderr.contains("--force"), again.stderr)

        let bad = try XNNProcess.run(["bench", "--case", "16:8"], in: folder)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("D:widths:k"), bad.stderr)
    }
}
