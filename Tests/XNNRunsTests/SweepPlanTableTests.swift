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
        let plan = try SweepPlan(file: path("s.yaml"))
        XCTAssertEqual(plan.table(), """
            index  directory             settings
            0      out/kind-srae_seed-1  model.kind=srae seed=1
            1      out/kind-srae_seed-2  model.kind=srae seed=2
            2      out/kind-pca_seed-1   model.kind=pca seed=1
            3      out/kind-pca_seed-2   model.kind=pca seed=2

            """)
        XCTAssertEqual(plan.withJobs(1).table(), plan.table())
    }
}
