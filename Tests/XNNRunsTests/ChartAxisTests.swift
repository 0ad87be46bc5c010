import XCTest
@testable import XNNRuns

final class ChartAxisTests: XCTestCase {
    func testTicksAreNiceNumbersCoveringTheData() {
        let axis = ChartAxis.linear(covering: [0.691, 0.766, 0.93])
        XCTAssertEqual(axis.ticks, [0.6, 0.7, 0.8, 0.9, 1.0])
        XCTAssertEqual(axis.ticks.map(axis.label), ["0.6", "0.7", "0.8", "0.9", "1.0"])
        XCTAssertLessThanOrEqual(axis.lower, 0.691)
        XCTAssertGreaterThanOrEqual(axis.upper, 0.93)
        let counts = ChartAxis.linear(covering: [2, 3, 5, 8])
        XCTAssertEqual(counts.ticks, [2, 4, 6, 8])
        XCTAssertEqual(counts.ticks.map(counts.label), ["2", "4", "6", "8"])
    }

    func testRangesStayWithinTheQuantitysPossibleValues() {
        let r2 = ChartAxis.linear(covering: [0.9, 0.99, 0.999], bounds: -Double.greatestFiniteMagnitude...1)
        XCTAssertEqual(r2.upper, 1)
        XCTAssertLessThanOrEqual(r2.ticks.max()!, 1)
        let cosine = ChartAxis.linear(covering: [0.001, 0.02, 0.05], bounds: 0...1)
        XCTAssertEqual(cosine.lower, 0)
        XCTAssertGreaterThanOrEqual(cosine.ticks.min()!, 0)
        let unbounded = ChartAxis.linear(covering: [0.9, 0.999])
        XCTAssertGreaterThan(unbounded.upper, 0.999)
    }

    func testFlatDataAndLogarithmicAxes() {
        let flat = ChartAxis.linear(covering: [5, 5])
        XCTAssertLessThan(flat.lower, 5)
        XCTAssertGreaterThan(flat.upper, 5)
        let zeros = ChartAxis.linear(covering: [0, 0, 0])  // a dead concept's histogram starts at 0
        XCTAssertEqual(zeros.lower, 0)
        XCTAssertEqual(zeros.upper, 1)
        let log = ChartAxis.logarithmic(covering: [0.003, 0, 120])
        XCTAssertEqual(log.ticks, [0.001, 0.01, 0.1, 1, 10, 100, 1000])
        XCTAssertEqual(log.fraction(0.001), 0)
        XCTAssertEqual(log.fraction(1000), 1)
        XCTAssertEqual(ChartAxis.niceStep(0.07), 0.1)
        XCTAssertEqual(ChartAxis.niceStep(0.021), 0.025)
    }
}
