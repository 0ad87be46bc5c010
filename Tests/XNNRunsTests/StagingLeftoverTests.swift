import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNStorage
import XNNTraining
@testable import XNNRuns

/// Staging folders left by processes that died, and the run files of a stopped, resumed run.
final class StagingLeftoverTests: FolderTestCase {
    func writeData(rows: Int = 160, shift: Float = 0) throws -> String {
        var generator = SeededGenerator(seed: 11)
        var activations = [Float](), targets = [Float]()
        for _ in 0..<rows {
            let row = (0..<8).map { _ in max(0, generator.nextFloat(in: -0.5, 1.5)) + shift }
            activations += row
            targets += [row[0] * 2 - row[1], row[3] + 0.5 * row[4] * row[5]]
        }
        let file = try HDF5File(path: path("data.h5"), mode: .truncate)
        try file.write("activations", floats: activations, shape: [rows, 8])
        try file.write("logits", floats: targets, shape: [rows, 2])
        file.close()
        return path("data.h5")
    }

    func configuration(_ data: String, _ overrides: [String] = []) throws -> RunConfiguration {
        var c = RunConfiguration(data: DataConfiguration(file: data))
        c.model.hiddenWidths = [12]
        c.model.concepts = 3
        c.model.dropout = 0.1
        c.training.epochs = 5
        c.training.batchSize = 20
        c.training.threads = 1
        c.training.acceptance.maxRetries = 1
        c.training.acceptance.secondToFirstRatio = 1
        return try c.overridden(overrides)
    }

    /// A staging folder as a process that died left it, owner record and all.
    @discardableResult
    func leftover(_ name: String, pid: Int32 = 999_999, checkpoint: Bool = false) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        try "written by xnn\n".write(to: url.appendingPathComponent(RunDirectory.marker), atomically: false, encoding: .utf8)
        try "\(pid)\n".write(to: url.appendingPathComponent(StagingOwner.fileName), atomically: false, encoding: .utf8)
        if checkpoint { try "state".write(to: url.appendingPathComponent(RunDirectory.checkpointFile), atomically: false, encoding: .utf8) }
        return url
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    func testLeftoversAreNamedBesideTheRunAsTheUserWroteIt() {
        // One-character names crashed Foundation's NSString path methods.
        XCTAssertEqual(RunDirectory.display(".c.partial-1", besides: "c"), ".c.partial-1")
        XCTAssertEqual(RunDirectory.display(".c.partial-1", besides: "runs/c/"), "runs/.c.partial-1")
        XCTAssertEqual(RunDirectory.display(".c.partial-1", besides: "/c"), "/.c.partial-1")
    }

    func testDeadOwnersFoldersAreRemovedLiveOnesKept() throws {
        let data = try writeData()
        try leftover(".run.partial-999999")
        let live = try leftover(".run.partial-4242")
        let owner = try StagingOwner.claim(live)  // this process holds it: alive
        var notes: [String] = []
        var run = TrainingRun(configuration: try configuration(data), outputDirectory: path("run"), force: false)
        run.notice = { notes.append($0) }
        _ = try run.execute()
        XCTAssertFalse(exists(".run.partial-999999"))
        XCTAssertTrue(exists(".run.partial-4242"))
        XCTAssertTrue(notes.contains { $0.contains(".run.partial-999999, left by xnn process 999999, which is gone") }, "\(notes)")
        XCTAssertTrue(notes.contains { $0.contains(".run.partial-4242 is being written by xnn process \(getpid())") }, "\(notes)")
        // The finished run carries no owner record or checkpoint.
        XCTAssertFalse(exists("run/\(StagingOwner.fileName)"))
        XCTAssertFalse(exists("run/\(RunDirectory.checkpointFile)"))
        owner.release(removingRecordIn: nil)
    }

    func testACheckpointIsReportedWithTheResumeCommandNotDeleted() throws {
        let data = try writeData()
        try leftover(".run.partial-999999", checkpoint: true)
        XCTAssertThrowsError(try TrainingRun(configuration: try configuration(data), outputDirectory: path("run"), force: false).execute()) {
            XCTAssertEqual($0 as? StagingError, .resumable(destination: self.path("run"), staging: self.path(".run.partial-999999")))
            XCTAssertTrue("\($0)".contains("continue it with `xnn train --resume \(self.path("run"))`"), "\($0)")
        }
        XCTAssertTrue(exists(".run.partial-999999/\(RunDirectory.checkpointFile)"))
        _ = try TrainingRun(configuration: try configuration(data), outputDirectory: path("run"), force: true).execute()
        XCTAssertFalse(exists(".run.partial-999999"))
        XCTAssertTrue(exists("run/metrics.json"))
    }

    func testARunMovedAsideByADeadReplacementIsPutBack() throws {
        let data = try writeData()
        _ = try TrainingRun(configuration: try configuration(data), outputDirectory: path("run"), force: false).execute()
        let metrics = try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8)
        // Killed between moving the old run aside and moving the new one in: no run at the destination.
        try FileManager.default.moveItem(atPath: path("run"), toPath: path(".run.replaced-999999"))
        try leftover(".run.partial-999999")
        XCTAssertThrowsError(try TrainingRun(configuration: try configuration(data), outputDirectory: path("run"), force: false).execute()) {
            XCTAssertEqual($0 as? RunError, .outputExists(directory: self.path("run")))
        }
        XCTAssertEqual(try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8), metrics)
        XCTAssertFalse(exists(".run.replaced-999999"))
        XCTAssertFalse(exists(".run.partial-999999"))
    }

    /// Stops the run once `epochs` epochs of its first attempt are done; returns the error.
    func stoppedRun(_ configuration: RunConfiguration, after epochs: Int) throws -> TrainingInterruption {
        let run = TrainingRun(configuration: configuration, outputDirectory: path("run"), force: false)
        var interruption: TrainingInterruption?
        XCTAssertThrowsError(try run.execute { event in
            if case .epoch(let record, _, _) = event, record.epoch == epochs { run.stop.request(signal: SIGTERM) }
        }) { interruption = $0 as? TrainingInterruption }
        return try XCTUnwrap(interruption)
    }

    func testStoppedRunResumesToTheSameFiles() throws {
        let data = try writeData()
        let config = try configuration(data, ["training.checkpoint_minutes=1000"])
        _ = try TrainingRun(configuration: config, outputDirectory: path("full"), force: false).execute()
        let interruption = try stoppedRun(config, after: 3)
        XCTAssertEqual(interruption.exitStatus, 143)
        XCTAssertTrue(interruption.description.hasSuffix("(attempt 1, 3 epoch(s) done); continue with: xnn train --resume \(path("run"))"),
                      interruption.description)
        XCTAssertFalse(exists("run"))
        let point = try ResumePoint.find(path("run"))
        XCTAssertEqual(point.checkpoint.state.epoch, 3)
        var resumed = TrainingRun(configuration: try point.configuration(), outputDirectory: point.info.destination, force: point.info.force)
        resumed.resume = point
        _ = try resumed.execute()
        for name in ["metrics.json", "config.yaml"] {
            XCTAssertEqual(try String(contentsOfFile: path("run/\(name)"), encoding: .utf8),
                           try String(contentsOfFile: path("full/\(name)"), encoding: .utf8), name)
        }
        let (a, b) = (try HDF5File(path: path("run/model.h5")), try HDF5File(path: path("full/model.h5")))
        XCTAssertEqual(a.datasetNames(), b.datasetNames())
        for name in a.datasetNames() where try a.info(name).elementType == .float(bytes: 4) {
            XCTAssertEqual(try a.readFloats(name).values.map(\.bitPattern), try b.readFloats(name).values.map(\.bitPattern), name)
        }
        XCTAssertEqual(try a.stringAttribute("config"), try b.stringAttribute("config"))
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.contains(".partial-") })
        XCTAssertThrowsError(try ResumePoint.find(path("run"))) {
            XCTAssertEqual($0 as? StagingError, .nothingToResume(path: self.path("run"), reason: "the run finished (no interrupted run beside it holds a checkpoint)"))
        }
    }

    func testResumeRefusesARunThatAppearedMeanwhileBeforeTraining() throws {
        let data = try writeData()
        _ = try TrainingRun(configuration: try configuration(data, ["seed=5"]), outputDirectory: path("other"), force: false).execute()
        _ = try stoppedRun(try configuration(data), after: 2)
        try FileManager.default.moveItem(atPath: path("other"), toPath: path("run"))
        let metrics = try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8)
        let point = try ResumePoint.find(path(".run.partial-\(getpid())"))
        var resumed = TrainingRun(configuration: try point.configuration(), outputDirectory: point.info.destination, force: false)
        resumed.resume = point
        var epochs = 0
        XCTAssertThrowsError(try resumed.execute { if case .epoch = $0 { epochs += 1 } }) {
            XCTAssertEqual($0 as? RunError, .outputExists(directory: self.path("run")))
        }
        XCTAssertEqual(epochs, 0)
        XCTAssertEqual(try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8), metrics)
        XCTAssertTrue(exists(".run.partial-\(getpid())/\(RunDirectory.checkpointFile)"), "the checkpoint stays for a forced resume")
    }

    func testAnUnreadableCheckpointIsOneLine() throws {
        let staging = try leftover(".run.partial-999999")
        let file = try HDF5File(path: staging.appendingPathComponent(RunDirectory.checkpointFile).path, mode: .truncate)
        let info = ResumeInfo(configuration: "", workingDirectory: folder.path, destination: "run", force: false,
                              data: DataFingerprint(size: 1, modified: 0))
        try file.write("run/info", strings: [try JSONText.encode(info)])
        try file.write("training/state", strings: ["{}"])
        file.close()
        XCTAssertThrowsError(try ResumePoint.find(path("run"))) {
            XCTAssertTrue("\($0)".hasPrefix("\(staging.path)/checkpoint.h5: nothing to resume: its training state cannot be read ("), "\($0)")
        }
    }

    func testResumeRefusesChangedData() throws {
        let data = try writeData()
        _ = try stoppedRun(try configuration(data), after: 2)
        _ = try writeData(shift: 0.5)  // same size, other numbers: written later
        let point = try ResumePoint.find(path("run"))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: data)
        XCTAssertThrowsError(try point.configuration()) {
            XCTAssertEqual($0 as? StagingError, .dataChanged(file: data, reason: "modified since"))
        }
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: folder.path).contains { $0.hasPrefix(".run.partial-") },
                      "a refused resume keeps the checkpoint")
    }
}
