import Foundation
import XCTest
import XNNTestSupport
import XNNStorage

/// `xnn sweep` under faults (docs/sweeps.md): kill -9 takes its trainings along, a rerun gives
/// the results of an uninterrupted sweep, and one folder holds one sweep at a time.
final class SweepFaultTests: FolderTestCase {
    /// Two seeds of a run that takes over a second, one at a time, so a sweep can be caught mid-way.
    let slowSweep = "base: base.yaml\noutput: OUT\njobs: 1\nset:\n  training.acceptance.enabled: false\n  training.epochs: 1000\n  training.patience: 0\n  model.hidden_widths: [256, 64]\ngrid:\n  seed: [1, 2]\n"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try writeTinyData()
        try write("data:\n  file: d.h5\nmodel:\n  hidden_widths: [8]\ntraining:\n  batch_size: 16\n", "base.yaml")
    }

    /// Starts `xnn sweep file` in the background.
    func startSweep(_ file: String) throws -> Process {
        let process = Process()
        process.executableURL = XNNProcess.executable
        process.arguments = ["sweep", file]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until `folder/out` holds a finished seed-1 and the staging folder of a training in
    /// progress; returns that training's PID (from the folder's name, `.<run>.partial-<pid>`).
    func waitForTrainingInProgress(_ out: String) throws -> Int32 {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path(out))) ?? []
            if entries.contains("seed-1"), let staging = entries.first(where: { $0.hasPrefix(".seed-") && $0.contains(".partial-") }),
               let pid = staging.split(separator: "-").last.flatMap({ Int32($0) }) {
                return pid
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw XCTSkip("the sweep never reached its second run within two minutes")
    }

    /// Whether a process runs (exists and is not a zombie).
    func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ")", options: .backwards) else { return false }
        return !stat[close.upperBound...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    func testKillingASweepKillsItsTrainingAndARerunGivesTheUninterruptedResults() throws {
        try write(slowSweep.replacingOccurrences(of: "OUT", with: "reference"), "reference.yaml")
        try write(slowSweep.replacingOccurrences(of: "OUT", with: "out"), "killed.yaml")
        let reference = try XNNProcess.run(["sweep", "reference.yaml"], in: folder)
        XCTAssertEqual(reference.status, 0, reference.stderr)

        let sweep = try startSweep("killed.yaml")
        let training = try waitForTrainingInProgress("out")
        kill(sweep.processIdentifier, SIGKILL)
        XNNProcess.waitForExit(sweep)
        let deadline = Date().addingTimeInterval(5)
        while isRunning(training) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(isRunning(training), "training \(training) outlived its sweep")
        if isRunning(training) { kill(training, SIGKILL) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/seed-2")), "the training went on after its sweep was killed")

        let rerun = try XNNProcess.run(["sweep", "killed.yaml"], in: folder)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("(1 trained, 1 skipped, 0 failed)"), rerun.stdout)
        XCTAssertEqual(try String(contentsOfFile: path("out/results.csv"), encoding: .utf8),
                       try String(contentsOfFile: path("reference/results.csv"), encoding: .utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: path("out")).filter { $0.contains(".partial-") }
        XCTAssertEqual(leftovers, [], "staging folders of the killed training are removed")
    }

    func testASecondSweepInTheSameFolderIsRefusedInOneLine() throws {
        try write(slowSweep.replacingOccurrences(of: "OUT", with: "out"), "slow.yaml")
        let first = try startSweep("slow.yaml")
        defer { first.terminate(); XNNProcess.waitForExit(first) }
        let training = try waitForTrainingInProgress("out")
        let second = try XNNProcess.run(["sweep", "slow.yaml"], in: folder)
        XCTAssertEqual(second.status, 1)
        XCTAssertEqual(second.stderr, "xnn: error: out: another xnn sweep (PID \(first.processIdentifier)) is using this folder; wait for it to end or stop it, or choose another output\n")
        XCTAssertTrue(isRunning(training), "the first sweep's training is left alone")
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: path("out")).contains { $0.hasSuffix(".partial-\(training)") })
    }

    /// A training still running from elsewhere keeps its staging folder and is not started a second
    /// time; a folder that only looks like a staging folder is kept.
    func testARunStillTrainingElsewhereIsNeitherDeletedNorTrainedAgain() throws {
        try write("base: base.yaml\noutput: out\nset:\n  training.acceptance.enabled: false\n  training.epochs: 2\ngrid:\n  seed: [1, 2]\n", "quick.yaml")
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/bin/sleep")
        other.arguments = ["30"]
        try other.run()
        defer { other.terminate(); XNNProcess.waitForExit(other) }
        let staging = path("out/.seed-2.partial-\(other.processIdentifier)")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        // Named like a staging folder of an ended process, but without xnn's marker: not xnn's to delete.
        let lookalike = path("out/.notes.partial-4194000")
        try FileManager.default.createDirectory(atPath: lookalike, withIntermediateDirectories: true)
        try write("mine", "out/.notes.partial-4194000/notes.txt")
        let result = try XNNProcess.run(["sweep", "quick.yaml"], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("(1 trained, 0 skipped, 1 failed)"), result.stdout)
        XCTAssertTrue(result.stderr.contains("xnn: error: run seed-2 failed: still being trained by process \(other.processIdentifier)"), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: staging))
        XCTAssertTrue(FileManager.default.fileExists(atPath: lookalike + "/notes.txt"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/seed-2")))
    }
}
