import Foundation
import XCTest
import XNNTestSupport
import XNNRuns

/// `xnn sweep FILE --plan`: the points' numbering depends on the sweep file only.
final class SweepPlanTableTests: FolderTestCase {
    func testThePlanTableNumbersPointsInGridOrderWhateverTheJobCount() throws {
        try "data:\n  file: d.h5\n".write(toFile: path("base.yaml"), atomically: true, encoding: .utf8)
        try "base: base.yaml\noutput: out\njobs: 3\ngrid:\n  model.kind: [srae, pca]\n  seed: [1, 2]\n"
            .write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        let plan = try SweepPlan(file: path("s.yaml"), checkFiles: false)  // a listing: no data file needed
        // The output folder is the sweep file's (docs/configuration.md, "Paths"), so the directory column starts with it.
        let out = path("out")
        let width = "\(out)/kind-srae_seed-1".count
        func line(_ index: Int, _ name: String, _ settings: String) -> String {
            "\(index)      " + "\(out)/\(name)".padding(toLength: width, withPad: " ", startingAt: 0) + "  " + settings
        }
        XCTAssertEqual(plan.table(), ([
            "index  " + "directory".padding(toLength: width, withPad: " ", startingAt: 0) + "  settings",
            line(0, "kind-srae_seed-1", "model.kind=srae seed=1"), line(1, "kind-srae_seed-2", "model.kind=srae seed=2"),
            line(2, "kind-pca_seed-1", "model.kind=pca seed=1"), line(3, "kind-pca_seed-2", "model.kind=pca seed=2"),
        ] + [""]).joined(separator: "\n"))
        XCTAssertEqual(plan.withJobs(1).table(), plan.table())
    }
}
