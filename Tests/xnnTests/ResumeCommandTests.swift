import Foundation
import XCTest
import XNNTestSupport
import XNNStorage

/// `xnn train` stopped by SIGTERM or killed with SIGKILL, then `xnn train --resume`: the same
/// model.h5, metrics.json and history.csv (timing columns aside) as a run never interrupted, and
/// an earlier run never damaged.
final class ResumeCommandTests: FolderTestCase {
    func xnn(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try XNNProcess.run(arguments, in: folder)
    }

    /// 400 rows; 3 fits of 60 epochs with a checkpoint at every epoch boundary: long enough to
    /// interrupt (about 20 ms per checkpoint), short enough for a test.
    func writeInputs() throws {
        var state: UInt64 = 17
        func next() -> Float { state = state &* 6364136223846793005 &+ 1442695040888963407; return Float(state >> 40) / Float(1 << 24) }
        let rows = 400
        let activations = (0..<(rows * 12)).map { _ in max(0, next() * 2 - 0.5) }
        var logits = [Float]()
        for i in 0..<rows {
            let a = Array(activations[(i * 12)..<(i * 12 + 12)])
            logits += [2 * a[0] - a[1] + max(0, a[2] - 0.5), a[3] + 0.5 * a[4] * a[5]]
        }
        let file = try HDF5File(path: path("d.h5"), mode: .truncate)
        try file.write("activations", floats: activations, shape: [rows, 12])
        try file.write("logits", floats: logits, shape: [rows, 2])
        file.close()
        try """
        seed: 3
        data:
          file: d.h5
        model:
          hidden_widths: [16, 8]
          concepts: 3
          dropout: 0.1
        training:
          epochs: 60
          patience: 0
          batch_size: 20
          threads: 1
          checkpoint_minutes: 0
          acceptance:
            second_to_first_ratio: 1
        """.write(toFile: path("c.yaml"), atomically: true, encoding: .utf8)
    }

    /// Starts `xnn train` in the background.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = XNNProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        XCTAssertTrue(FileManager.default.createFile(atPath: path("stderr.log"), contents: nil))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: path("stderr.log")))
        try process.run()
        return process
    }

    /// Waits until the running training of `run` has saved a checkpoint in its staging folder.
    func waitForCheckpoint(of run: String, process: Process) throws {
        let staging = ".\(run).partial-\(process.processIdentifier)/checkpoint.h5"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path(staging)) {
            guard process.isRunning, Date() < deadline else { return XCTFail("no checkpoint appeared in \(staging)") }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Every dataset and attribute of an HDF5 file, floats by bit pattern.
    func contents(_ file: String) throws -> [String: String] {
        let h5 = try HDF5File(path: path(file))
        defer { h5.close() }
        var result: [String: String] = [:]
        for name in h5.datasetNames() {
            switch try h5.info(name).elementType {
            case .float: result[name] = "\(try h5.readFloats(name).values.map(\.bitPattern))"
            case .string: result[name] = "\(try h5.readStrings(name))"
            default: result[name] = "\(try h5.readInts(name).values)"
            }
        }
        for key in try h5.attributeNames() { result["@" + key] = try (try? h5.stringAttribute(key)) ?? "\(h5.numberAttribute(key))" }
        return result
    }

    func assertSameResult(_ run: String, as reference: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try contents("\(run)/model.h5"), try contents("\(reference)/model.h5"), "model.h5", file: file, line: line)
        XCTAssertEqual(try contents("\(run)/concepts.h5"), try contents("\(reference)/concepts.h5"), "concepts.h5", file: file, line: line)
        func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
        XCTAssertEqual(try text("\(run)/metrics.json"), try text("\(reference)/metrics.json"), file: file, line: line)
        // history.csv without its last two columns, seconds and samples_per_second.
        func untimed(_ name: String) throws -> [String] {
            try text(name).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).joined(separator: ",") }
        }
        XCTAssertEqual(try untimed("\(run)/history.csv"), try untimed("\(reference)/history.csv"), file: file, line: line)
        XCTAssertEqual(try untimed("\(run)/history.csv").count, 181, "3 fits of 60 epochs", file: file, line: line)
    }

    func stagingFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".partial-") }
    }

    func testSigtermSavesACheckpointAndResumeEndsAsAnUninterruptedRun() throws {
        try writeInputs()
        XCTAssertEqual(try xnn(["train", "c.yaml", "--out", "full", "--quiet"]).status, 0)
        let process = try start(["train", "c.yaml", "--out", "run", "--quiet"])
        try waitForCheckpoint(of: "run", process: process)
        process.terminate()  // SIGTERM
        XCTAssertEqual(XNNProcess.waitForExit(process), 143)
        let stderr = try String(contentsOfFile: path("stderr.log"), encoding: .utf8)
        XCTAssertTrue(stderr.contains("xnn: stopped by SIGTERM; checkpoint saved in .run.partial-\(process.processIdentifier) (attempt "), stderr)
        XCTAssertTrue(stderr.hasSuffix("continue with: xnn train --resume run\n"), stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("run")))
        let resumed = try xnn(["train", "--resume", "run", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.hasPrefix("resuming run at attempt "), resumed.stderr)
        try assertSameResult("run", as: "full")
        XCTAssertEqual(try stagingFolders(), [])
    }

    func testKill9AfterACheckpointResumesFromIt() throws {
        try writeInputs()
        XCTAssertEqual(try xnn(["train", "c.yaml", "--out", "full", "--quiet"]).status, 0)
        let process = try start(["train", "c.yaml", "--out", "run", "--quiet"])
        try waitForCheckpoint(of: "run", process: process)
        // The whole run takes about a second: kill it well before it can finish.
        Thread.sleep(forTimeInterval: 0.05)
        kill(process.processIdentifier, SIGKILL)
        XNNProcess.waitForExit(process)
        // A fresh run does not discard the checkpoint silently…
        let fresh = try xnn(["train", "c.yaml", "--out", "run", "--quiet"])
        XCTAssertEqual(fresh.status, 1)
        XCTAssertEqual(fresh.stderr, "xnn: error: run: an interrupted run left a checkpoint in .run.partial-\(process.processIdentifier); "
                       + "continue it with `xnn train --resume run`, or pass --force to start over (the checkpoint is then deleted)\n")
        // …and resuming the staging folder itself works as well as naming the run.
        let resumed = try xnn(["train", "--resume", ".run.partial-\(process.processIdentifier)", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertSameResult("run", as: "full")
        XCTAssertEqual(try stagingFolders(), [])
    }

    func testKill9DuringAForcedRetrainLeavesTheEarlierRunAndInputsIntact() throws {
        try writeInputs()
        XCTAssertEqual(try xnn(["train", "c.yaml", "--out", "run", "--quiet"]).status, 0)
        let names = ["run/model.h5", "run/concepts.h5", "run/metrics.json", "run/history.csv", "run/config.yaml", "d.h5", "c.yaml"]
        let before = try names.map { try Data(contentsOf: URL(fileURLWithPath: path($0))) }
        let process = try start(["train", "c.yaml", "--out", "run", "--force", "--set", "seed=4"])
        try waitForCheckpoint(of: "run", process: process)
        kill(process.processIdentifier, SIGKILL)
        XNNProcess.waitForExit(process)
        XCTAssertEqual(try names.map { try Data(contentsOf: URL(fileURLWithPath: path($0))) }, before)
        // The next forced run clears the dead run's staging folder (with --force, its checkpoint too).
        let again = try xnn(["train", "c.yaml", "--out", "run", "--force", "--quiet", "--set", "training.epochs=2"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("note: removed .run.partial-\(process.processIdentifier), left by xnn process \(process.processIdentifier), which is gone"), again.stderr)
        XCTAssertEqual(try stagingFolders(), [])
    }

    func testResumeUsageAndNothingToResume() throws {
        try writeInputs()
        XCTAssertTrue(try xnn(["train", "--help"]).stdout.contains("--resume <run-directory>"))
        let both = try xnn(["train", "c.yaml", "--resume", "run"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("--resume continues a run with its own configuration and directory"), both.stderr)
        let neither = try xnn(["train"])
        XCTAssertNotEqual(neither.status, 0)
        XCTAssertTrue(neither.stderr.contains("give a configuration file, or --resume RUN"), neither.stderr)
        let nothing = try xnn(["train", "--resume", "run"])
        XCTAssertEqual(nothing.status, 1)
        XCTAssertEqual(nothing.stderr, "xnn: error: run: nothing to resume: no staging folder beside it holds a checkpoint (was the run stopped before its first one?)\n")
    }
}
