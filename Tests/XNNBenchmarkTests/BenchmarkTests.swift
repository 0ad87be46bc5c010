import Foundation
import XCTest
@testable import XNNBenchmark
import XNNModel

final class BenchmarkTests: XCTestCase {
    /// The FLOP count by hand for the issue's D = 1280 case: forward through encoder, decoder and
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

    /// The products the peak is measured at are the step's: their FLOPs are exactly the step's.
    func testStepProductsAddUpToTheStepFlops() {
        for (dimension, hidden, concepts, outputs) in [(1280, [800, 100], 5, 1), (64, [64, 32], 5, 3), (24, [12], 3, 2)] {
            for batch in [1, 50, 256] {
                let benchmark = BenchmarkCase(dimension: dimension, hiddenWidths: hidden, concepts: concepts, outputs: outputs,
                                              batchSize: batch, samples: batch)
                let products = StepProducts.of(benchmark.architecture, batch: batch)
                let flops = products.reduce(0.0) { $0 + Double($1.count) * $1.shape.flops }
                XCTAssertEqual(flops, Double(batch) * benchmark.flopsPerSample, "\(benchmark.label)")
            }
        }
    }

    /// The issue's shapes, with the transpositions the engine uses, and no gradient for the data.
    func testStepProductsAtTheIssueShapes() {
        let architecture = SRAEArchitecture(inputDimension: 1280, hiddenWidths: [800, 100], concepts: 5, outputs: 1)
        let labels = StepProducts.of(architecture, batch: 50).map(\.shape.label)
        for expected in ["50×800×1280 NT", "800×1280×50 TN", "50×1280×800 NT", "1280×800×50 TN", "50×800×1280 NN",
                         "50×100×800 NN", "5×5×50 TN", "50×5×5 NN"] {
            XCTAssertTrue(labels.contains(expected), "\(expected) missing from \(labels)")
        }
        XCTAssertFalse(labels.contains("50×1280×800 NN"), "the data's own gradient is not computed")
        XCTAssertEqual(labels.count, Set(labels).count)
    }

    /// The fastest provider wins each shape, and the peak is the step's FLOPs over the fastest times.
    func testPeakTakesTheFastestProviderPerShape() {
        let architecture = SRAEArchitecture(inputDimension: 8, hiddenWidths: [4], concepts: 2, outputs: 1)
        let slow = GEMMCandidate(name: "slow") { shape, _ in GEMMMeasurement(shape: shape, gflops: 1) }
        let fast = GEMMCandidate(name: "fast") { shape, _ in GEMMMeasurement(shape: shape, gflops: shape.transposeA ? 4 : 2) }
        let peak = PeakAtShapes.measure(architecture, batch: 10, providers: [slow, fast], minimumSeconds: 0)
        XCTAssertTrue(peak.products.allSatisfy { $0.fastest.provider == "fast" })
        let seconds = peak.products.reduce(0.0) { $0 + Double($1.count) * $1.shape.flops / (($1.shape.transposeA ? 4 : 2) * 1e9) }
        XCTAssertEqual(peak.gflops, peak.stepFlops / seconds / 1e9, accuracy: 1e-9)
        XCTAssertGreaterThan(peak.gflops, 2)
        XCTAssertLessThan(peak.gflops, 4)
    }

    func testSmallBenchmarkRunsAndReports() throws {
        let cases = [BenchmarkCase(dimension: 24, hiddenWidths: [12], concepts: 3, batchSize: 8, samples: 64)]
        var benchmark = Benchmark(cases: cases, threads: 1, timedEpochs: 1, peers: [.torch(script: "/nonexistent/torch_reference.py"), .jax()])
        benchmark.declinedPeers = ["jax": "not requested (--no-jax)"]
        benchmark.secondsPerShape = 0.01
        benchmark.secondsForSquare = 0.05
        let report = try benchmark.run()
        XCTAssertEqual(report.cases.count, 1)
        let result = report.cases[0]
        XCTAssertGreaterThan(result.engine.samplesPerSecond, 0)
        XCTAssertEqual(result.engine.timedEpochs, 1)
        XCTAssertEqual(result.engine.gflops, result.engine.samplesPerSecond * result.flopsPerSample / 1e9, accuracy: 1e-9)
        XCTAssertGreaterThan(result.engine.inferenceSamplesPerSecond ?? 0, 0)
        XCTAssertEqual(result.peak.products.count, StepProducts.of(cases[0].architecture, batch: 8).count)
        XCTAssertEqual(result.peak.products[0].timings.map(\.provider), ["xnn kernels + pool", "oneDNN + pool", "OpenBLAS + pool", "OpenBLAS threads"])
        XCTAssertGreaterThan(report.square.gflops, 0)
        XCTAssertEqual(result.peers.map(\.peer), ["torch", "jax"])
        XCTAssertTrue(result.peers[0].skipped?.contains("/nonexistent/torch_reference.py") ?? false)
        XCTAssertTrue(report.table.contains("D=24 12 k=3 B=8"))
        XCTAssertTrue(report.table.contains("torch skipped: no /nonexistent/torch_reference.py"), report.table)
        XCTAssertTrue(report.table.contains("jax skipped: not requested (--no-jax)"), report.table)

        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let first = try XCTUnwrap((json["cases"] as? [[String: Any]])?.first)
        XCTAssertNotNil((first["engine"] as? [String: Any])?["inferenceSamplesPerSecond"] as? Double)
        XCTAssertNotNil(((first["peak"] as? [String: Any])?["products"] as? [Any])?.first)
        XCTAssertEqual((first["peers"] as? [[String: Any]])?.last?["skipped"] as? String, "not requested (--no-jax)")
        XCTAssertEqual(json["providers"] as? [String], ["xnn kernels + pool", "oneDNN + pool", "OpenBLAS + pool", "OpenBLAS threads"])
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
