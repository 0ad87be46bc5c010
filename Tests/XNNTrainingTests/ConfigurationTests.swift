import XCTest
import XNNStorage
import XNNModel
@testable import XNNTraining

final class ConfigurationTests: XCTestCase {
    let minimal = "data:\n  file: x.h5\n"

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        XCTFail("expected an error")
        return ""
    }

    func testDefaultsAreDocumentedValues() throws {
        let c = try RunConfiguration.parse(yaml: minimal)
        XCTAssertEqual(c.model.hiddenWidths, [800, 100])
        XCTAssertEqual(c.model.concepts, 5)
        XCTAssertEqual(c.model.dropout, 0.02)
        XCTAssertEqual(c.loss, LossWeights(prediction: 1, reconstruction: 15, pullAway: 5))
        XCTAssertEqual(c.training.batchSize, 50)
        XCTAssertEqual(c.training.learningRate, 1e-3)
        XCTAssertEqual(c.training.weightDecay, 1e-4)
        XCTAssertEqual(c.training.learningRateStepEpochs, 40)
    }

    func testSamplesModeTakesItsOwnReferenceWeights() throws {
        let c = try RunConfiguration.parse(yaml: minimal + "loss:\n  pull_away_mode: samples\n")
        XCTAssertEqual(c.loss.reconstruction, 10)
        XCTAssertEqual(c.loss.pullAway, 10)
    }

    func testUnknownKeySuggestsTheClosestOne() {
        let text = message { _ = try RunConfiguration.parse(yaml: minimal + "training:\n  epoch: 3\n", file: "q.yaml") }
        XCTAssertEqual(text, "q.yaml: training.epoch: unknown key; did you mean 'training.epochs'?")
        let top = message { _ = try RunConfiguration.parse(yaml: minimal + "sed: 3\n", file: "q.yaml") }
        XCTAssertEqual(top, "q.yaml: sed: unknown key; did you mean 'seed'?")
    }

    func testWrongTypesAndBadValuesNameKeyExpectedAndFound() {
        let wrongType = message { _ = try RunConfiguration.parse(yaml: minimal + "training:\n  epochs: many\n", file: "q.yaml") }
        XCTAssertEqual(wrongType, "q.yaml:4: training.epochs: expected a positive integer, found 'many'")
        let badValue = message { _ = try RunConfiguration.parse(yaml: minimal + "model:\n  dropout: 1.5\n", file: "q.yaml") }
        XCTAssertEqual(badValue, "q.yaml:4: model.dropout: expected a probability in [0, 1), found '1.5'")
        let badEnum = message { _ = try RunConfiguration.parse(yaml: minimal + "loss:\n  pull_away_mode: columns\n", file: "q.yaml") }
        XCTAssertEqual(badEnum, "q.yaml:4: loss.pull_away_mode: expected one of features, samples, found 'columns'")
        let missing = message { _ = try RunConfiguration.parse(yaml: "seed: 2\n", file: "q.yaml") }
        XCTAssertEqual(missing, "q.yaml: data.file: missing; expected the path of an HDF5 activation file")
        let notMapping = message { _ = try RunConfiguration.parse(yaml: "data: 3\n", file: "q.yaml") }
        XCTAssertTrue(notMapping.hasPrefix("q.yaml:1: data: expected a mapping of keys, found '3'"), notMapping)
        let syntax = message { _ = try RunConfiguration.parse(yaml: "data: [\n", file: "q.yaml") }
        XCTAssertTrue(syntax.hasPrefix("q.yaml: not valid YAML"), syntax)
        XCTAssertEqual(message { _ = try RunConfiguration.load(file: "/nonexistent/q.yaml") }, "/nonexistent/q.yaml: configuration file not found")
    }

    func testOverridesAreCheckedLikeTheFile() throws {
        let c = try RunConfiguration.parse(yaml: minimal, overrides: ["training.epochs=7", "model.hidden_widths=[64, 32]", "data.target_columns=3"])
        XCTAssertEqual(c.training.epochs, 7)
        XCTAssertEqual(c.model.hiddenWidths, [64, 32])
        XCTAssertEqual(c.data.targetColumns, [3])
        let typo = message { _ = try RunConfiguration.parse(yaml: minimal, file: "q.yaml", overrides: ["training.learning_rat=0.1"]) }
        XCTAssertEqual(typo, "q.yaml: training.learning_rat: unknown key; did you mean 'training.learning_rate'?")
        XCTAssertEqual(message { _ = try RunConfiguration.parse(yaml: minimal, overrides: ["epochs"]) }, "--set epochs: expected key.path=value")
        for bad in [".inf", "-.inf", ".nan", "1e39"] {
            let text = message { _ = try RunConfiguration.parse(yaml: minimal, file: "q.yaml", overrides: ["training.learning_rate=\(bad)"]) }
            XCTAssertTrue(text.hasPrefix("q.yaml: training.learning_rate: expected") && text.hasSuffix("found '\(bad)'"), text)
        }
    }

    func testResolvedConfigurationRoundTrips() throws {
        let c = try RunConfiguration.parse(yaml: minimal + "data:\n  test_mask: m\n".replacingOccurrences(of: "data:\n", with: ""), overrides: ["loss.pull_away=12"])
        let again = try RunConfiguration.parse(yaml: try c.yaml())
        XCTAssertEqual(c, again)
    }

    /// The saved configuration shows Float settings as written ("dropout: 0.02", not the Double
    /// expansion 1.99999995529652e-2), keeps Double settings exact, and reads back to the same bits.
    func testSavedConfigurationShowsFloatsWithoutNoise() throws {
        let c = try RunConfiguration.parse(yaml: minimal, overrides: ["model.dropout=0.02", "training.learning_rate=0.001",
                                                                       "training.faithfulness_target=0.98"])
        let text = try c.yaml()
        XCTAssertTrue(text.contains("  dropout: 0.02\n"), text)
        XCTAssertTrue(text.contains("  learning_rate: 0.001\n"), text)
        XCTAssertFalse(text.contains("99999"), text)
        XCTAssertEqual(try RunConfiguration.parse(yaml: text), c)
        XCTAssertEqual(YAMLText.shortestFloat(in: "  faithfulness_target: 9.8e-1"), "  faithfulness_target: 9.8e-1")
        XCTAssertEqual(YAMLText.shortestFloat(in: "  file: runs/1.99999995529652e-2"), "  file: runs/1.99999995529652e-2")
    }

    func testAblationKindsFixTheTermTheyRemove() throws {
        let autoencoder = try RunConfiguration.parse(yaml: minimal + "model:\n  kind: autoencoder\n")
        XCTAssertEqual(autoencoder.loss.pullAway, 0)
        XCTAssertEqual(autoencoder.loss.reconstructionPenalty, .meanSquared)
        XCTAssertEqual(try RunConfiguration.parse(yaml: minimal + "model:\n  kind: srae_no_reconstruction\n").loss.reconstruction, 0)
        // A base configuration's pull-away weight does not leak into the autoencoder of a sweep.
        let overridden = try RunConfiguration.parse(yaml: minimal + "model:\n  kind: autoencoder\nloss:\n  pull_away: 5\n")
        XCTAssertEqual(overridden.loss.pullAway, 0)
        // The resolved configuration of an ablation reads back unchanged.
        XCTAssertEqual(try RunConfiguration.parse(yaml: try autoencoder.yaml()), autoencoder)
    }

    func testStandardisedActivationsNeedALinearOutput() {
        let text = message { _ = try RunConfiguration.parse(yaml: minimal + "  standardize_activations: true\n", file: "q.yaml") }
        XCTAssertTrue(text.hasPrefix("q.yaml: model.output_activation: expected linear"), text)
    }
}
