import Foundation
import XCTest
import XNNBenchmark
import XNNTestSupport

/// `xnn bench` end to end on a tiny case: table, JSON, skipped peers, overheads, refusal to overwrite, bad case syntax.
final class BenchCommandTests: FolderTestCase {
    func testBenchWritesTableAndJSONAndRefusesToOverwrite() throws {
        let arguments = ["bench", "--case", "16:8:3", "--batch", "4", "--samples", "32", "--epochs", "1",
                         "--threads", "1", "--no-torch", "--jax-script", "missing/jax_reference.py", "--json", "bench.json",
                         "--streaming-rows", "3000", "--overhead-rows", "400"]
        let first = try XNNProcess.run(arguments, in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("D=16 8 k=3 B=4"), first.stdout)
        XCTAssertTrue(first.stdout.contains("SGEMM 1024×1024×1024 NN"), first.stdout)
        XCTAssertTrue(first.stdout.contains("torch skipped: not requested (--no-torch)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("jax skipped: no missing/jax_reference.py"), first.stdout)
        XCTAssertTrue(first.stdout.contains("xnn train D=16 8 k=3 B=4, 400 rows"), first.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("bench.json"))) as? [String: Any]
        XCTAssertEqual((json?["cases"] as? [Any])?.count, 1)
        let streaming = try XCTUnwrap(json?["streaming"] as? [String: Any])
        XCTAssertGreaterThanOrEqual((streaming["fileMegabytes"] as! Double) / (streaming["budgetMegabytes"] as! Double), 4)
        XCTAssertGreaterThan(streaming["streamedSamplesPerSecond"] as! Double, 0)
        XCTAssertTrue(first.stdout.contains("streaming D=16 8 k=3 B=4"), first.stdout)
        let overheads = try XCTUnwrap(json?["overheads"] as? [String: Any])
        XCTAssertGreaterThan(overheads["fits"] as! Int, 0)
        let phases = ["epochSeconds", "startSeconds", "betweenEpochsSeconds", "acceptanceSeconds", "outputSeconds"].map { overheads[$0] as! Double }
        XCTAssertTrue(phases.allSatisfy { $0 >= 0 }, "\(phases)")
        XCTAssertEqual(phases.reduce(0, +), overheads["totalSeconds"] as! Double, accuracy: 0.05)
        XCTAssertLessThanOrEqual(overheads["firstStartSeconds"] as! Double, overheads["startSeconds"] as! Double)
        XCTAssertGreaterThan(overheads["loadSeconds"] as! Double, 0)

        let again = try XNNProcess.run(arguments, in: folder)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("bench.json") && again.stderr.contains("--force"), again.stderr)

        let few = try XNNProcess.run(["bench", "--overhead-rows", "10"], in: folder)
        XCTAssertNotEqual(few.status, 0)
        XCTAssertTrue(few.stderr.contains("--overhead-rows must be 0 or at least 100, got 10"), few.stderr)

        let bad = try XNNProcess.run(["bench", "--case", "16:8"], in: folder)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("D:widths:k"), bad.stderr)
    }

    /// Both peers through the real scripts and the repository's Python (scripts/python_env.sh --peers):
    /// each measured and given as a ratio; skipped, saying why, where torch or jax is missing.
    func testBenchRunsBothPeersOnTheSameRows() throws {
        let repository = ExtractionScriptTests.repository
        let python = PythonInterpreter.preferred(repository: repository.path)
        let probe = try python.run(["-c", "import torch, jax, h5py"])
        if probe.status != 0 {
            throw XCTSkip("the peers need \(python.path) with torch, jax and h5py (bash scripts/python_env.sh --peers): "
                          + "\(probe.stderr.split(separator: "\n").last ?? "")")
        }
        let scripts = repository.appendingPathComponent("scripts")
        let result = try XNNProcess.run(["bench", "--case", "16:8:3", "--batch", "8", "--samples", "64", "--epochs", "1", "--threads", "1",
                                         "--torch-script", scripts.appendingPathComponent("torch_reference.py").path,
                                         "--jax-script", scripts.appendingPathComponent("jax_reference.py").path,
                                         "--streaming-rows", "0", "--overhead-rows", "0", "--json", "bench.json"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains("skipped"), result.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("bench.json"))) as? [String: Any]
        let peers = try XCTUnwrap(((json?["cases"] as? [[String: Any]])?.first?["peers"]) as? [[String: Any]])
        XCTAssertEqual(peers.map { $0["peer"] as? String }, ["torch", "jax"])
        for peer in peers {
            let measurement = try XCTUnwrap(peer["measurement"] as? [String: Any], "\(peer)")
            XCTAssertGreaterThan(measurement["samplesPerSecond"] as? Double ?? 0, 0)
            XCTAssertFalse((measurement["version"] as? String ?? "").isEmpty)
        }
        let row = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("D=16 8 k=3 B=8") })
        XCTAssertEqual(row.split(separator: " ").filter { $0.hasSuffix("×") }.count, 3, String(row))  // engine/torch, engine/jax, inference/training
    }
}
