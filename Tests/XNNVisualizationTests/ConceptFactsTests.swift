import XCTest
@testable import XNNVisualization

final class ConceptFactsTests: XCTestCase {
    func testNearlyDeadIsActiveOnFewerRowsThanReviveBelow() {
        var values = [Float](repeating: 0, count: 1000)
        values[3] = 0.5; values[700] = 2  // 0.2 % active
        let share = ConceptFacts.activeShare(values)
        XCTAssertEqual(share, 0.002, accuracy: 1e-12)
        XCTAssertEqual(ConceptFacts.state(activeShare: share, reviveBelow: 0.01), .nearlyDead)
        XCTAssertEqual(ConceptFacts.state(activeShare: share, reviveBelow: 0.001), .alive)
        XCTAssertEqual(ConceptFacts.state(activeShare: 0, reviveBelow: 0.01), .dead)
        XCTAssertEqual(ConceptFacts.state(activeShare: 0.5, reviveBelow: 0.01), .alive)
    }

    func testLabelMixCountsLabelsMostFrequentFirstWithClassNames() {
        let labels = [3, 3, 5, 3, 8, 5, 1]
        let mix = ConceptFacts.labelMix(rows: [0, 1, 2, 3, 4, 5], labels: labels, classNames: ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
        XCTAssertEqual(mix.map(\.label), ["three", "five", "eight"])
        XCTAssertEqual(mix.map(\.count), [3, 2, 1])
        XCTAssertEqual(ConceptFacts.labelMix(rows: [6, 4], labels: labels, classNames: nil).map(\.label), ["1", "8"])
    }

    func testSampleOfZerosIsSeededRandomAndNotFileOrder() {
        let rows = Array(0..<500)
        let first = ConceptFacts.sample(rows, count: 16, seed: 7)
        XCTAssertEqual(first, ConceptFacts.sample(rows, count: 16, seed: 7))
        XCTAssertNotEqual(first, Array(0..<16))
        XCTAssertNotEqual(first, ConceptFacts.sample(rows, count: 16, seed: 8))
        XCTAssertEqual(Set(first).count, 16)
        XCTAssertTrue(first.allSatisfy(rows.contains))
        XCTAssertEqual(ConceptFacts.sample([4, 9], count: 16, seed: 7), [4, 9])
    }
}
