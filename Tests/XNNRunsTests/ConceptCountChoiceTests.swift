import Foundation
import XCTest
import XNNLinearAlgebra
import XNNStorage
import XNNTestSupport
import XNNTraining
@testable import XNNRuns

/// `model.concepts: auto`: the smallest k within the tolerance of the best validation R².
final class ConceptCountChoiceTests: FolderTestCase {
    func testDecisionTakesTheSmallestKWithinTheTolerance() {
        let trials = [(1, 0.5), (2, 0.9), (3, 0.975), (4, 0.984), (5, 0.981)].map {
            ConceptCountChoice.Trial(concepts: $0.0, validationR2: $0.1, seconds: 0)
        }
        let choice = ConceptCountChoice.decide(trials)
        XCTAssertEqual(choice.chosen, 3)
        XCTAssertTrue(choice.reason.contains("best (0.9840, k = 4)"), choice.reason)
        XCTAssertEqual(ConceptCountChoice.decide(trials, threshold: 0.98).chosen, 4, "the first k that meets the target")
        let missed = ConceptCountChoice.decide(trials, threshold: 0.99)
        XCTAssertEqual(missed.chosen, 3)
        XCTAssertTrue(missed.reason.contains("no k reached the faithfulness target 0.9900"), missed.reason)
    }

    /// Three independent sparse sources, each seen in three features and each the only cause of
    /// one target: fewer than three concepts cannot rebuild the targets, more add nothing.
    func writeThreeSourceData() throws -> String {
        var generator = SeededGenerator(seed: 21)
        let rows = 900
        var activations = [Float](), targets = [Float]()
        for _ in 0..<rows {
            let sources = (0..<3).map { _ in generator.nextUnitFloat() < 0.4 ? 0.5 + generator.nextUnitFloat() : 0 }
            for d in 0..<9 { activations.append(max(0, sources[d / 3] * (0.8 + 0.2 * Float(d % 3)) + 0.02 * Float(generator.nextGaussian()))) }
            targets += sources
        }
        let file = try HDF5File(path: path("three.h5"), mode: .truncate)
        try file.write("activations", floats: activations, shape: [rows, 9])
        try file.write("logits", floats: targets, shape: [rows, 3])
        file.close()
        return path("three.h5")
    }

    /// A small SRAE on the three-source data, with `overrides` applied.
    func threeSourceConfiguration(epochs: Int, _ overrides: [String]) throws -> RunConfiguration {
        var configuration = RunConfiguration(data: DataConfiguration(file: try writeThreeSourceData()))
        configuration.model.hiddenWidths = [16]
        configuration.training.epochs = epochs
        configuration.training.batchSize = 30
        configuration.training.threads = 1
        return try configuration.overridden(overrides)
    }

    func testAutoFindsThePlantedNumberOfSources() throws {
        let configuration = try threeSourceConfiguration(epochs: 40, ["model.concepts=auto"])
        XCTAssertTrue(configuration.model.chooseConcepts)
        let summary = try TrainingRun(configuration: configuration, outputDirectory: path("run"), force: false).execute()
        let choice = try XCTUnwrap(summary.metrics.conceptCount)
        XCTAssertEqual(choice.chosen, 3, choice.reason + " " + choice.trials.map { String(format: "%d:%.4f", $0.concepts, $0.validationR2) }.joined(separator: " "))
        XCTAssertEqual(choice.trials.map(\.concepts), [1, 2, 3], "the search stops at the first k that meets the target")
        XCTAssertEqual(summary.metrics.conceptWeights.first?.count, 3)
        let saved = try String(contentsOfFile: path("run/config.yaml"), encoding: .utf8)
        XCTAssertTrue(saved.contains("concepts: 3"), saved)
        XCTAssertTrue(try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8).contains("\"concept_count\""))
    }

    func testTheSearchEndsWhenItsTimeIsSpentAndSaysSo() throws {
        let configuration = try threeSourceConfiguration(epochs: 5, ["model.concepts=auto", "model.concepts_seconds=0.001"])
        let summary = try TrainingRun(configuration: configuration, outputDirectory: path("run"), force: false).execute()
        let choice = try XCTUnwrap(summary.metrics.conceptCount)
        XCTAssertEqual(choice.trials.map(\.concepts), [1], "one trial, then the budget is spent")
        XCTAssertEqual(choice.stoppedByTimeLimit, true)
        XCTAssertTrue(choice.reason.contains("model.concepts_seconds"), choice.reason)
        XCTAssertThrowsError(try configuration.overridden(["model.concepts_seconds=0"]))
    }
}
