import XCTest
@testable import XNNRuns

final class SweepSummaryTests: XCTestCase {
    func row(_ kind: String, _ k: Int, r2: Double, mse: Double, positive: Int) -> SweepSummary.Row {
        let bic = SweepSummary.bic(samples: 100, mse: mse, concepts: Double(k), positiveConcepts: Double(positive))
        return .init(run: "\(kind)-\(k)", settings: ["model.kind": kind, "model.concepts": String(k)],
                     metrics: [SweepSummary.conceptsKey: Double(k), SweepMetric.testR2.key: r2, SweepMetric.testMSE.key: mse,
                               SweepMetric.testMeanAbsCos.key: 0.1 * Double(k), SweepMetric.positiveConcepts.key: Double(positive),
                               SweepMetric.bic.key: bic], deadConcepts: "")
    }

    func testBICPrefersFewerConceptsAtEqualFitAndPenalisesNonPositiveOnes() {
        XCTAssertLessThan(SweepSummary.bic(samples: 100, mse: 1, concepts: 3, positiveConcepts: 3),
                          SweepSummary.bic(samples: 100, mse: 1, concepts: 5, positiveConcepts: 5))
        XCTAssertLessThan(SweepSummary.bic(samples: 100, mse: 1, concepts: 3, positiveConcepts: 3),
                          SweepSummary.bic(samples: 100, mse: 1, concepts: 3, positiveConcepts: 1))
        // A much better fit pays for more concepts: 100·ln(0.5) ≈ −69 against 2 more concepts ≈ +9.
        XCTAssertLessThan(SweepSummary.bic(samples: 100, mse: 0.5, concepts: 5, positiveConcepts: 5),
                          SweepSummary.bic(samples: 100, mse: 1, concepts: 3, positiveConcepts: 3))
    }

    func testHTMLHoldsBothChartsTheChoiceOfKAndASortedTable() {
        let summary = SweepSummary(title: "Sweep <test>", gridKeys: ["model.kind", "model.concepts"], rows: [
            row("srae", 2, r2: 0.9, mse: 1.0, positive: 2), row("srae", 5, r2: 0.99, mse: 0.1, positive: 4),
            row("pca", 2, r2: 0.7, mse: 3.0, positive: 1), row("pca", 5, r2: 0.92, mse: 0.8, positive: 2),
        ])
        let html = summary.html()
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2)
        XCTAssertEqual(html.components(separatedBy: "<polyline").count - 1, 4)  // 2 methods × 2 charts
        XCTAssertTrue(html.contains("Sweep &lt;test&gt;"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"))
        XCTAssertTrue(html.contains("<b>srae</b>: k = 5"))
        let order = ["srae-5", "pca-5", "srae-2", "pca-2"].map { html.range(of: "<td>\($0)</td>")!.lowerBound }
        XCTAssertEqual(order, order.sorted())
    }
}
