import Foundation
import XCTest
import XNNBenchmark
import XNNModel

final class BenchmarkTests: XCTestCase {
    /// The FLOP count by hand for the D = 1280 case: forward through encoder, decoder and
    /// predictor; weight gradients of all of them; input gradients of all but the first layer;
    /// the pull-away term's two k × k products.
    func testTrainingFlopCountByHand() {
        let architecture = SRAEArchitecture(inputDimension: 1280, hiddenWidths: [800, 100], concepts: 5, outputs: 1)
        let forward = 2 * (1280 * 800 + 800 * 100 + 100 * 5) + 5 * 1
        let weightGradients = forward
        let inputGradients = forward - 1280 * 800
        let pullAway = 2 * 5 * 5
        XCTAssertEqual(architecture.trainingMultiplyAddsPerSample, forward + weightGradients + inputGradients + pullAway)
        XCTAssertEqual(architecture.trainingMultiplyAddsPerSample, 5_603_065)
    }

    func testSmallBenchmarkRunsAndReports() throws {
        let cases = [BenchmarkCase(dimension: 24, hiddenWidths: [12], concepts: 3, batchSize: 8, samples: 64)]
        let report = try Benchmark(cases: cases, threads: 1, timedEpochs: 1, torchScript: "/nonexistent/torch_reference.py").run()
        XCTAssertEqual(report.cases.count, 1)
        let result = report.cases[0]
        XCTAssertGreaterThan(result.engine.samplesPerSecond, 0)
        XCTAssertEqual(result.engine.timedEpochs, 1)
        XCTAssertEqual(result.engine.gflops, result.engine.samplesPerSecond * result.flopsPerSample / 1e9, accuracy: 1e-9)
        XCTAssertGreaterThan(report.peak.gflops, 0)
        XCTAssertNil(result.torch)
        XCTAssertTrue(result.torchSkipped?.contains("/nonexistent/torch_reference.py") ?? false)
        XCTAssertTrue(report.table.contains("D=24 12 k=3 B=8"))
        let decoded = try JSONDecoder().decode(BenchmarkReport.self, from: Data(try report.json().utf8))
        XCTAssertEqual(decoded.cases[0].benchmark.dimension, 24)
    }

    /// Same seed, same rows: the file the reference reads holds exactly the engine's data.
    func testSyntheticDataIsSeededAndRoundTrips() throws {
        let a = SyntheticActivations.make(rows: 10, dimension: 6, outputs: 2, seed: 3)
        let b = SyntheticActivations.make(rows: 10, dimension: 6, outputs: 2, seed: 3)
        XCTAssertEqual(a.inputs.toArray(), b.inputs.toArray())
        XCTAssertTrue(a.inputs.toArray().allSatisfy { $0 >= 0 })
        XCTAssertTrue(a.inputs.toArray().contains { $0 > 0 })
    }
}
