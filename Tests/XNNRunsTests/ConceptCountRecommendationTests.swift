import XCTest
@testable import XNNRuns
import XNNStorage

final class ConceptCountRecommendationTests: XCTestCase {
    typealias Candidate = ConceptCountRecommendation.Candidate

    func testTheSmallestFaithfulKWhoseSeedsAgreeIsChosen() {
        let candidates = [Candidate(concepts: 1, runs: 3, validationR2: 0.80, stability: 0.99, bic: 50),
                          Candidate(concepts: 2, runs: 3, validationR2: 0.976, stability: 0.6, bic: 10),
                          Candidate(concepts: 3, runs: 3, validationR2: 0.98, stability: 0.9, bic: 12),
                          Candidate(concepts: 4, runs: 3, validationR2: 0.985, stability: 0.85, bic: 14)]
        let recommendation = ConceptCountRecommendation.decide(candidates)
        XCTAssertEqual(recommendation.recommended, 3)
        XCTAssertEqual(recommendation.bicChoice, 2)
        XCTAssertTrue(recommendation.reason.hasPrefix("use k = 3, because its validation R² (0.9800, mean of 3 runs) is within 0.01 of the best (0.9850 at k = 4)"))
        XCTAssertTrue(recommendation.reason.contains("k = 1 reaches only 0.8000"))
        XCTAssertTrue(recommendation.reason.contains("matched |corr| 0.900 ≥ 0.80); the smaller k = 2 fit as well but their seeds disagree"), recommendation.reason)
        XCTAssertTrue(recommendation.reason.contains("the BIC-like score (held-out MSE) would take k = 2"))
    }

    func testWithoutAStableKTheSmallestFaithfulOneIsChosenAndTheReasonSaysSo() {
        let candidates = [Candidate(concepts: 2, runs: 2, validationR2: 0.95, stability: 0.5, bic: 3),
                          Candidate(concepts: 3, runs: 2, validationR2: 0.955, stability: 0.7, bic: 2),
                          Candidate(concepts: 5, runs: 2, validationR2: 0.99, stability: nil, bic: 1)]
        let recommendation = ConceptCountRecommendation.decide(candidates)
        XCTAssertEqual(recommendation.recommended, 5)
        XCTAssertTrue(recommendation.reason.contains("stability is unknown"))
        XCTAssertTrue(recommendation.reason.contains("the BIC-like score agrees"))
        let unstable = ConceptCountRecommendation.decide(Array(candidates.prefix(2)))
        XCTAssertEqual(unstable.recommended, 2)
        XCTAssertTrue(unstable.reason.contains("no k this faithful has stable concepts: its seeds agree only to matched |corr| 0.500 < 0.80"))
    }

    func testRowsAreGroupedBySettingOverSeedsAndRowsWithoutValidationAreLeftOut() throws {
        func row(_ kind: String, _ k: Int, seed: Int, validation: Double?, stability: Double) -> SweepSummary.Row {
            var metrics = [SweepSummary.conceptsKey: Double(k), SweepMetric.stability.key: stability]
            metrics[SweepMetric.validationR2.key] = validation
            return .init(run: "\(kind)-\(k)-\(seed)", settings: ["model.kind": kind, "model.concepts": String(k), "seed": String(seed)],
                         metrics: metrics, deadConcepts: "")
        }
        let rows = [row("srae", 2, seed: 1, validation: 0.90, stability: 0.95), row("srae", 2, seed: 2, validation: 0.94, stability: 0.95),
                    row("srae", 3, seed: 1, validation: 0.97, stability: 0.9), row("srae", 3, seed: 2, validation: 0.99, stability: 0.9),
                    row("pca", 2, seed: 1, validation: 0.5, stability: 1), row("pca", 3, seed: 1, validation: nil, stability: 1)]
        let recommendations = ConceptCountRecommendation.recommend(rows, gridKeys: ["model.kind", "model.concepts", "seed"])
        XCTAssertEqual(recommendations.count, 1)  // pca has one k with a validation R²
        let srae = recommendations[0]
        XCTAssertEqual(srae.setting, ["model.kind": "srae"])
        XCTAssertEqual(srae.recommended, 3)
        XCTAssertEqual(srae.candidates.map(\.validationR2), [0.92, 0.98].map { $0 }, accuracy: 1e-12)
        let json = try JSONText.encode(SweepSummary.JSONSummary(runs: rows.count, recommendations: recommendations))
        XCTAssertTrue(json.contains("\"validation_r2\"") && json.contains("\"stability_floor\"") && json.contains("\"recommended\" : 3"))
        XCTAssertEqual(try JSONDecoder().decode(SweepSummary.JSONSummary.self, from: Data(json.utf8)).recommendations, recommendations)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
