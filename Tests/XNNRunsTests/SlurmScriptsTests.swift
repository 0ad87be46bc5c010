import Foundation
import XCTest
import XNNTestSupport
import XNNStorage
@testable import XNNRuns

/// `xnn sweep FILE --slurm`: the sbatch scripts' content, from the sweep file's `slurm:` section and the flags.
final class SlurmScriptsTests: FolderTestCase {
    func plan(_ sweep: String, base: String = "data:\n  file: d.h5\n") throws -> SweepPlan {
        try base.write(toFile: path("base.yaml"), atomically: true, encoding: .utf8)
        try sweep.write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        return try SweepPlan(file: path("s.yaml"), checkFiles: false)
    }

    func testTheArrayScriptRunsOneTaskPerPointWithTheFilesSettingsAndTheJobsAsItsThrottle() throws {
        let plan = try plan("""
            base: base.yaml
            output: out
            jobs: 2
            slurm:
              time: "01:30:00"
              memory: 4G
              partition: short
              options: ["--account=lab"]
            grid:
              model.concepts: [2, 3]
              seed: [1, 2]
            """)
        let scripts = SlurmScripts(plan: plan, settings: plan.slurm.overridden(by: SlurmSettings(memory: "8G")),
                                   indices: [0, 1, 2, 3], executable: "/opt/xnn/bin/xnn", workingDirectory: "/home/me")
        let out = path("out")
        XCTAssertEqual(scripts.array, """
            #!/bin/bash
            # Written by xnn sweep --slurm (docs/sweeps.md, "On a cluster").
            # One array task per point of `xnn sweep \(path("s.yaml")) --plan`.
            #SBATCH --job-name=xnn-s
            #SBATCH --array=0-3%2
            #SBATCH --cpus-per-task=1
            #SBATCH --time=01:30:00
            #SBATCH --mem=8G
            #SBATCH --partition=short
            #SBATCH --account=lab
            #SBATCH --chdir=/home/me
            #SBATCH --output=\(out)/logs/slurm-%A_%a.out
            exec /opt/xnn/bin/xnn sweep \(path("s.yaml")) --index "$SLURM_ARRAY_TASK_ID" --cores "${SLURM_CPUS_PER_TASK:-1}"

            """)
        XCTAssertEqual(scripts.collect.split(separator: "\n").last, "exec /opt/xnn/bin/xnn sweep \(path("s.yaml")) --collect")
        XCTAssertTrue(scripts.collect.contains("#SBATCH --job-name=xnn-s-collect\n#SBATCH --cpus-per-task=1\n#SBATCH --time=01:30:00\n"))
        XCTAssertTrue(scripts.collect.contains("#SBATCH --output=\(out)/logs/slurm-%j-collect.out\n"))
        XCTAssertFalse(scripts.collect.contains("--array"))
        XCTAssertEqual(scripts.arrayPath, out + "/slurm/array.sbatch")
        XCTAssertEqual(scripts.collectPath, out + "/slurm/collect.sbatch")

        // Its own earlier scripts are replaced; a file it did not write is kept.
        try scripts.write()
        try scripts.write()
        try "#!/bin/bash\necho mine\n".write(toFile: scripts.collectPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try scripts.write()) { error in
            XCTAssertEqual(String(describing: error), "\(scripts.collectPath): cannot write: it exists and xnn sweep --slurm did not write it; remove it or choose another output")
        }
        XCTAssertEqual(try String(contentsOfFile: scripts.collectPath, encoding: .utf8), "#!/bin/bash\necho mine\n")
    }

    func testTheTasksCoresAreTheRunsFixedThreadsUnlessSetAndNoThrottleWithoutJobs() throws {
        let plan = try plan("base: base.yaml\ngrid:\n  training.threads: [1, 3]\n")
        XCTAssertEqual(SlurmScripts.cpusPerTask(plan: plan, settings: plan.slurm), 3)
        XCTAssertEqual(SlurmScripts.cpusPerTask(plan: plan, settings: SlurmSettings(cpusPerTask: 2)), 2)
        let scripts = SlurmScripts(plan: plan, settings: plan.slurm, indices: [1], executable: "/x y/xnn", workingDirectory: "/w")
        XCTAssertTrue(scripts.array.contains("#SBATCH --array=1\n#SBATCH --cpus-per-task=3\n"), scripts.array)
        XCTAssertTrue(scripts.array.contains("exec '/x y/xnn' sweep "), scripts.array)
        XCTAssertEqual(SlurmScripts.cpusPerTask(plan: try self.plan("base: base.yaml\ngrid:\n  seed: [1]\n"), settings: SlurmSettings()), 1)
    }

    func testArraySpecGroupsConsecutiveIndices() {
        XCTAssertEqual(SlurmScripts.arraySpec([0, 1, 2, 3]), "0-3")
        XCTAssertEqual(SlurmScripts.arraySpec([5, 1, 3, 2, 9, 10]), "1-3,5,9-10")
        XCTAssertEqual(SlurmScripts.arraySpec([7]), "7")
    }

    func testABadSlurmSettingNamesTheFileTheKeyAndWhatWasExpected() throws {
        for (line, key, found) in [("time: 1:2:3:4", "slurm.time", "1:2:3:4"), ("memory: lots", "slurm.memory", "lots"),
                                   ("cpus_per_task: 0", "slurm.cpus_per_task", "0"), ("nodes: 2", "slurm.nodes", "unknown key")] {
            XCTAssertThrowsError(try plan("base: base.yaml\nslurm:\n  \(line)\ngrid:\n  seed: [1]\n"), line) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains(path("s.yaml")) && text.contains(key) && text.contains(found), text)
            }
        }
    }
}
