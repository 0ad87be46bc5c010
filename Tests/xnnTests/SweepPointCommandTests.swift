import Foundation
import XCTest
import XNNTestSupport
import XNNStorage

/// `xnn sweep FILE --index I`, `--collect` and `--slurm --only-missing`: a sweep run point by point
/// (as Slurm's array tasks run it) gives the results file of a whole sweep.
final class SweepPointCommandTests: FolderTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try writeTinyData()
        try write("data:\n  file: d.h5\nmodel:\n  hidden_widths: [8]\ntraining:\n  epochs: 2\n  batch_size: 16\n  acceptance:\n    enabled: false\n", "base.yaml")
        for name in ["a", "b"] {
            try write("base: base.yaml\noutput: \(name)\njobs: 2\ngrid:\n  model.concepts: [2, 3]\n  seed: [1, 2]\n", "\(name).yaml")
        }
    }

    func xnn(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try XNNProcess.run(arguments, in: folder)
    }

    func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    func testIndexTrainsOnlyThePlansPointAndSkipsItOnceFinished() throws {
        let plan = try xnn(["sweep", "a.yaml", "--plan"])
        let row = try XCTUnwrap(plan.stdout.split(separator: "\n").first { $0.hasPrefix("2 ") })
        let directory = String(row.split(separator: " ", omittingEmptySubsequences: true)[1])
        let first = try xnn(["sweep", "a.yaml", "--index", "2", "--cores", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("a")).filter { !$0.hasPrefix(".") }.sorted(),
                       ["concepts-3_seed-1", "logs"])
        XCTAssertEqual(directory, "a/concepts-3_seed-1")
        let metrics = path("a/concepts-3_seed-1/metrics.json")
        let written = try FileManager.default.attributesOfItem(atPath: metrics)[.modificationDate] as! Date
        let again = try xnn(["sweep", "a.yaml", "--index", "2"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("point 2 (concepts-3_seed-1): already finished"), again.stderr)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: metrics)[.modificationDate] as! Date, written)

        let outside = try xnn(["sweep", "a.yaml", "--index", "4"])
        XCTAssertEqual(outside.status, 1)
        XCTAssertEqual(outside.stderr, "xnn: error: a.yaml: --index: expected a point of the plan, 0 to 3 (xnn sweep a.yaml --plan lists them), found 4\n")
    }

    func testCollectNamesTheMissingPointsAndPointByPointEqualsAWholeSweep() throws {
        XCTAssertEqual(try xnn(["sweep", "a.yaml"]).status, 0)
        for index in [0, 2, 3] { XCTAssertEqual(try xnn(["sweep", "b.yaml", "--index", String(index), "--cores", "1"]).status, 0) }
        try FileManager.default.createDirectory(atPath: path("b/logs"), withIntermediateDirectories: true)
        try write("fit 1 …\nxnn: error: d.h5: cannot read\n", "b/logs/concepts-3_seed-1.log")  // as a failed training leaves it
        try FileManager.default.removeItem(atPath: path("b/concepts-3_seed-1"))
        let missing = try xnn(["sweep", "b.yaml", "--collect"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stdout, "results: b/results.csv (2 of 4 points finished)\n")
        XCTAssertEqual(missing.stderr, """
            xnn: error: point 1 (concepts-2_seed-2): not run
            xnn: error: point 2 (concepts-3_seed-1): failed: xnn: error: d.h5: cannot read (log: b/logs/concepts-3_seed-1.log)

            """)
        XCTAssertEqual(try text("b/results.csv").split(separator: "\n").count, 3)
        XCTAssertEqual(try xnn(["sweep", "b.yaml", "--collect", "--allow-missing"]).status, 0)

        let resubmit = try xnn(["sweep", "b.yaml", "--slurm", "--only-missing"])
        XCTAssertEqual(resubmit.status, 0, resubmit.stderr)
        XCTAssertTrue(resubmit.stdout.hasPrefix("points: 1-2 (2 of 4)\n"), resubmit.stdout)
        XCTAssertTrue(try text("b/slurm/array.sbatch").contains("\n#SBATCH --array=1-2%2\n"))

        for index in [1, 2] { XCTAssertEqual(try xnn(["sweep", "b.yaml", "--index", String(index), "--cores", "1"]).status, 0) }
        let complete = try xnn(["sweep", "b.yaml", "--collect"])
        XCTAssertEqual(complete.status, 0, complete.stderr)
        XCTAssertEqual(complete.stderr, "")
        XCTAssertEqual(try text("b/results.csv"), try text("a/results.csv"))  // same bits, whatever ran each point
        XCTAssertTrue(try text("b/summary.html").contains("<svg"))
        let none = try xnn(["sweep", "b.yaml", "--slurm", "--only-missing"])
        XCTAssertTrue(none.stdout.hasPrefix("all 4 points are finished"), none.stdout)
    }

    func testAWholeSweepWaitsForNoTaskButRefusesAFolderTasksHold() throws {
        // A lock held shared (as a running --index task holds it) keeps a whole sweep out.
        try FileManager.default.createDirectory(atPath: path("a"), withIntermediateDirectories: true)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--shared", path("a/.xnn-sweep.lock"), "sleep", "30"]
        try holder.run()
        defer { holder.terminate(); holder.waitForExit() }
        Thread.sleep(forTimeInterval: 0.5)
        let sweep = try xnn(["sweep", "a.yaml"])
        XCTAssertEqual(sweep.status, 1)
        XCTAssertTrue(sweep.stderr.contains("another xnn sweep"), sweep.stderr)
        let task = try xnn(["sweep", "a.yaml", "--index", "0", "--cores", "1"])
        XCTAssertEqual(task.status, 0, task.stderr)
    }
}
