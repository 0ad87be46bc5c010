import Foundation
import XCTest
import XNNTestSupport
import XNNStorage

/// `xnn sweep` end to end: a grid, a resumed sweep after an interruption, and bad sweep files.
final class SweepCommandTests: FolderTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try writeTinyData()
        try write("data:\n  file: d.h5\nmodel:\n  hidden_widths: [8]\ntraining:\n  epochs: 2\n  batch_size: 16\n", "base.yaml")
    }

    func xnn(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try XNNProcess.run(arguments, in: folder)
    }

    func modificationDate(_ path: String) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)[.modificationDate] as! Date
    }

    func testGridRunsEveryCombinationAndResumesWithoutRedoingFinishedRuns() throws {
        try write("base: base.yaml\noutput: out\njobs: 2\nset:\n  training.acceptance.enabled: false\ngrid:\n  model.kind: [srae, autoencoder]\n  model.concepts: [2, 3]\n", "sweep.yaml")
        let first = try xnn(["sweep", "sweep.yaml"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let results = try String(contentsOf: folder.appendingPathComponent("out/results.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(results.count, 5)
        XCTAssertTrue(results[0].hasPrefix("run,model.kind,model.concepts,acceptance.accepted"))
        try assertColumnsMatchMetricsFiles(results)
        XCTAssertTrue(results.contains { $0.hasPrefix("kind-autoencoder_concepts-3,autoencoder,3,") })
        let html = try String(contentsOf: folder.appendingPathComponent("out/summary.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3)  // k, orthogonality, faithfulness against orthogonality

        // Simulate a kill: one run never finished (its directory is gone, a staging folder is left).
        let kept = try modificationDate("out/kind-srae_concepts-2/metrics.json")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("out/kind-autoencoder_concepts-2"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out/.kind-autoencoder_concepts-2.partial-99999"),
                                                withIntermediateDirectories: true)
        let resumed = try xnn(["sweep", "sweep.yaml"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("(1 trained, 3 skipped, 0 failed)"), resumed.stdout)
        XCTAssertEqual(try modificationDate("out/kind-srae_concepts-2/metrics.json"), kept)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/kind-autoencoder_concepts-2/metrics.json").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/.kind-autoencoder_concepts-2.partial-99999").path))
    }

    /// Every results.csv column named by a metrics.json path holds that file's value: one name per number.
    func assertColumnsMatchMetricsFiles(_ lines: [Substring]) throws {
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var checked = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/\(fields[0])/metrics.json")))
            for (column, field) in zip(header, fields) where column.hasPrefix("splits.") || column.hasPrefix("acceptance.") {
                var node: Any? = metrics
                for key in column.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
                if let flag = node as? Bool, column == "acceptance.accepted" {
                    XCTAssertEqual(field, String(flag), column)
                } else {
                    let expected = try XCTUnwrap((node as? NSNumber)?.doubleValue, "\(column) missing from metrics.json")
                    let found = try XCTUnwrap(Double(field), "\(column) = '\(field)'")
                    XCTAssertEqual(found, expected, accuracy: 1e-5 * max(1, abs(expected)), column)
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 4 * 12)
    }

    func testASweepStoppedMidwayResumesWithoutRedoingFinishedRuns() throws {
        try write("base: base.yaml\noutput: out\njobs: 1\nset:\n  training.acceptance.enabled: false\n  training.epochs: 400\n  model.hidden_widths: [64]\ngrid:\n  seed: [1, 2, 3, 4]\n", "slow.yaml")
        let process = Process()
        process.executableURL = XNNProcess.executable
        process.arguments = ["sweep", "slow.yaml"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let first = folder.appendingPathComponent("out/seed-1/metrics.json").path
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: first) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        process.terminate()  // SIGTERM, as a scheduler or Ctrl-C would
        XCTAssertNotEqual(XNNProcess.waitForExit(process), 0)
        let finished = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
            .filter { $0.hasPrefix("seed-") }
        XCTAssertTrue(finished.contains("seed-1"))
        XCTAssertLessThan(finished.count, 4, "the sweep should have been stopped before the end")
        let kept = try modificationDate("out/seed-1/metrics.json")
        let resumed = try xnn(["sweep", "slow.yaml"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("(\(4 - finished.count) trained, \(finished.count) skipped, 0 failed)"), resumed.stdout)
        XCTAssertEqual(try modificationDate("out/seed-1/metrics.json"), kept)
    }

    func testSeedsGiveAStabilityPerSetting() throws {
        try write("base: base.yaml\noutput: out\nset:\n  training.acceptance.enabled: false\n  data.test_fraction: 0\n  data.validation_fraction: 0\ngrid:\n  model.kind: [pca, srae]\n  seed: [1, 2]\n", "seeds.yaml")
        let result = try xnn(["sweep", "seeds.yaml"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOf: folder.appendingPathComponent("out/results.csv"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let column = try XCTUnwrap(header.firstIndex(of: "stability"))
        for line in lines.dropFirst() {
            let stability = try XCTUnwrap(Double(line.split(separator: ",", omittingEmptySubsequences: false)[column]), String(line))
            XCTAssert(stability >= 0 && stability <= 1 + 1e-9)
            // PCA is deterministic: two seeds give the same components, so stability is 1.
            if line.hasPrefix("kind-pca") { XCTAssertEqual(stability, 1, accuracy: 1e-4) }
        }
    }

    func testBadSweepFilesGetOneLineErrors() throws {
        let cases: [(String, String)] = [
            ("base: base.yaml\ngrid:\n  model.concept: [2]\n", "s.yaml: grid.model.concept: unknown key; did you mean 'model.concepts'?"),
            ("base: base.yaml\ngrid: {}\n", "s.yaml: grid: missing; expected a mapping of setting → list of values (the grid is empty)"),
            ("base: base.yaml\ngrid:\n  model.concepts: [two]\n", "s.yaml:3: grid.model.concepts: expected an integer from 1 to 64, or auto, found 'two'"),
            ("base: base.yaml\ngrid:\n  model.concepts: 3\n", "s.yaml:3: grid.model.concepts: expected a list of values, found a single value"),
            ("base: base.yaml\ngird:\n  seed: [1]\n", "s.yaml: gird: unknown key; did you mean 'grid'?"),
        ]
        for (text, expected) in cases {
            try write(text, "s.yaml")
            let result = try xnn(["sweep", "s.yaml"])
            XCTAssertEqual(result.status, 1, text)
            XCTAssertTrue(result.stderr.hasPrefix("xnn: error: ") && result.stderr.hasSuffix(expected + "\n"), "\(text) → \(result.stderr)")
        }
    }
}
