import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNModel
import XNNStorage
@testable import XNNTraining

/// The pieces of the docs/method.md §4 recipe, on small in-memory data.
final class TrainerTests: FolderTestCase {
    func makeData(rows: Int = 200, columns: Int = 10, seed: UInt64 = 5) -> ActivationData {
        var generator = SeededGenerator(seed: seed)
        let inputs = Matrix(rows: rows, columns: columns), targets = Matrix(rows: rows, columns: 1)
        for i in 0..<rows {
            for d in 0..<columns { inputs[i, d] = max(0, generator.nextFloat(in: -0.5, 1.5)) }
            targets[i, 0] = 2 * inputs[i, 0] - inputs[i, 1] + max(0, inputs[i, 2] - 0.5)
        }
        let test = Array(stride(from: 0, to: rows, by: 5))
        return ActivationData(file: "memory", inputs: inputs, targets: targets,
                              trainRows: (0..<rows).filter { $0 % 5 != 0 }, testRows: test, targetColumns: [0],
                              targetNames: ["y"], activationNormalization: .identity(columns: columns),
                              targetNormalization: .identity(columns: 1))
    }

    func settings(_ overrides: [String] = []) throws -> RunConfiguration {
        var c = RunConfiguration(data: DataConfiguration(file: "memory"))
        c.model.hiddenWidths = [16, 8]
        c.model.concepts = 3
        c.training.batchSize = 20
        c.training.threads = 1
        return try c.overridden(overrides)
    }

    func trainer(_ config: RunConfiguration, data: ActivationData) -> Trainer {
        Trainer(architecture: config.model.architecture(inputDimension: data.inputDimension, outputs: 1),
                lossWeights: config.loss, settings: config.training, seed: config.seed)
    }

    func testLayerwisePretrainingLowersEachLayersReconstructionError() throws {
        let data = makeData()
        let config = try settings(["training.pretrain_epochs=8", "training.epochs=1", "training.acceptance.enabled=false"])
        var losses: [Int: [Double]] = [:]
        _ = try trainer(config, data: data).train(data) { event in
            if case .pretraining(let layer, _, _, let loss) = event { losses[layer, default: []].append(loss) }
        }
        XCTAssertEqual(losses.keys.sorted(), [0, 1, 2])
        for (layer, values) in losses {
            XCTAssertEqual(values.count, 8)
            XCTAssertLessThan(values.last!, values.first!, "layer \(layer) pre-training did not reduce its MSE")
        }
    }

    func testLeastSquaresPredictorIsTheBestAffineFitOfTheConcepts() throws {
        let data = makeData()
        let config = try settings()
        let t = trainer(config, data: data)
        let model = SRAE(architecture: t.architecture)
        var generator = SeededGenerator(seed: 1)
        model.initialize(using: &generator)
        try t.fitPredictor(model, data: data)
        func trainError() -> Double {
            let (_, predictions) = model.infer(data.inputs, rows: data.trainRows)
            return zip(0..<predictions.rows, data.trainRows).reduce(0) { $0 + pow(Double(predictions[$1.0, 0] - data.targets[$1.1, 0]), 2) }
        }
        let best = trainError()
        // Any perturbation of the fitted predictor fits the training rows worse.
        for index in 0..<4 {
            let parameter = index < 3 ? model.predictor.weight.value : model.predictor.bias.value
            let i = index < 3 ? index : 0
            parameter.storage[i] += 0.05
            XCTAssertGreaterThan(trainError(), best - 1e-3)
            parameter.storage[i] -= 0.05
        }
    }

    func testReviveBringsADeadConceptBackToLife() throws {
        let data = makeData()
        let config = try settings()
        let t = trainer(config, data: data)
        let model = SRAE(architecture: t.architecture)
        var generator = SeededGenerator(seed: 2)
        model.initialize(using: &generator)
        let conceptLayer = model.encoder.last!
        conceptLayer.bias.value[0, 1] = -1000  // concept 1 can never fire
        let workspace = SRAEWorkspace(architecture: t.architecture, capacity: 64)
        func firing() -> Int {
            let (x, _) = model.infer(data.inputs, rows: data.trainRows)
            return (0..<x.rows).filter { x[$0, 1] > 0 }.count
        }
        XCTAssertEqual(firing(), 0)
        let adam = Adam(parameters: model.parameters)
        try t.revive([1], model: model, adam: adam, data: data, workspace: workspace, generator: &generator)
        let count = firing()
        XCTAssertGreaterThan(count, data.trainRows.count / 10)
        XCTAssertLessThan(count, data.trainRows.count / 2)
        XCTAssertNotEqual(model.predictor.weight.value[0, 1], 0)
    }

    func testDeadConceptsAreRevivedDuringTrainingAndReported() throws {
        let data = makeData()
        // A huge pull-away weight and learning rate drive concepts to zero; revival must bring them back.
        let config = try settings(["loss.pull_away=200", "training.epochs=12", "training.acceptance.enabled=false", "training.learning_rate=0.03", "model.concepts=6"])
        let outcome = try trainer(config, data: data).train(data)
        XCTAssertFalse(outcome.history.flatMap(\.revivedConcepts).isEmpty, "expected some revivals")
        let ignored = try settings(["loss.pull_away=200", "training.epochs=12", "training.acceptance.enabled=false", "training.learning_rate=0.03", "model.concepts=6", "training.dead_concepts=ignore"])
        let plain = try trainer(ignored, data: data).train(data)
        XCTAssertTrue(plain.history.flatMap(\.revivedConcepts).isEmpty)
        XCTAssertFalse(plain.chosen.deadConcepts.isEmpty, "this set-up should kill concepts without revival")
        // While revival runs (the first 80% of epochs), far fewer concepts are dead per epoch.
        let window = 0..<9
        let revivedDead = window.reduce(0) { $0 + outcome.history[$1].deadConcepts.count }
        let plainDead = window.reduce(0) { $0 + plain.history[$1].deadConcepts.count }
        XCTAssertLessThan(revivedDead * 2, plainDead)
    }

    func testAcceptanceRetriesReweightTheLoss() throws {
        let data = makeData()
        // An impossible bar forces every retry of the paper's recipe.
        let config = try settings(["training.recipe=paper", "training.epochs=1", "training.acceptance.min_positive_concepts=4",
                                   "training.acceptance.max_retries=2"])
        var next: [LossWeights] = []
        let outcome = try trainer(config, data: data).train(data) { event in
            if case .attemptFinished(_, let retry?) = event { next.append(retry) }
        }
        XCTAssertEqual(outcome.attempts.count, 3)
        XCTAssertFalse(outcome.chosen.accepted)
        XCTAssertEqual(next.map(\.reconstruction), [15 * 1.2, 15 * 1.2 * 1.2])
        XCTAssertEqual(next.map(\.pullAway), [5 * 0.8, 5 * 0.8 * 0.8])
        XCTAssertEqual(outcome.attempts.map(\.lossWeights.pullAway), [5, 5 * 0.8, 5 * 0.8 * 0.8])
    }

    func testSearchTrainsEveryFitAndKeepsTheBestOnValidation() throws {
        let data = makeData()
        let config = try settings(["training.epochs=3", "training.search.candidates=4", "training.search.weight_decay_factors=[1, 10]",
                                   "training.search.dropout=[0.02, 0.2]", "training.search.hidden_widths=[[16, 8], [6]]",
                                   "training.acceptance.min_positive_concepts=1"])
        let outcome = try trainer(config, data: data).train(data)
        XCTAssertEqual(outcome.attempts.count, 4, "every fit is trained, accepted or not")
        XCTAssertEqual(outcome.attempts.compactMap(\.regularisation),
                       [Regularisation(weightDecay: 1e-4, dropout: 0.02, hiddenWidths: [16, 8]),
                        Regularisation(weightDecay: 1e-4 * 10, dropout: 0.02, hiddenWidths: [16, 8]),
                        Regularisation(weightDecay: 1e-4, dropout: 0.2, hiddenWidths: [16, 8]),
                        Regularisation(weightDecay: 1e-4 * 10, dropout: 0.2, hiddenWidths: [16, 8])])
        XCTAssertEqual(outcome.attempts.map(\.lossWeights), Array(repeating: outcome.attempts[0].lossWeights, count: 4),
                       "the multipliers, not re-weighting, set the weights")
        for other in outcome.attempts where other.attempt != outcome.chosen.attempt {
            XCTAssertFalse(other.isBetter(than: outcome.chosen), "fit \(other.attempt + 1) ranks above the chosen one")
        }
    }

    func testSearchTriesWidthsAndKeepsTheChosenFitsShape() throws {
        let data = makeData()
        let config = try settings(["training.epochs=2", "training.search.candidates=2", "training.search.weight_decay_factors=[1]",
                                   "training.search.hidden_widths=[[16, 8], [6]]"])
        let outcome = try trainer(config, data: data).train(data)
        XCTAssertEqual(outcome.attempts.compactMap(\.regularisation?.hiddenWidths), [[16, 8], [6]])
        let chosen = try XCTUnwrap(outcome.chosen.regularisation)
        XCTAssertEqual((outcome.model as? SRAE)?.architecture.hiddenWidths, chosen.hiddenWidths)
    }

    func testSearchStopsAtTheTimeBudget() throws {
        let data = makeData()
        let config = try settings(["training.epochs=2", "training.search.candidates=3", "training.search.budget_minutes=0.000001"])
        XCTAssertEqual(try trainer(config, data: data).train(data).attempts.count, 1)
    }

    func testRandomSplitAndStandardisationUseTrainingRowsOnly() throws {
        let path = path("d.h5")
        let file = try HDF5File(path: path, mode: .truncate)
        try file.write("activations", floats: (0..<300).map { Float($0 % 17) }, shape: [100, 3])
        try file.write("logits", floats: (0..<100).map { Float($0) }, shape: [100])
        file.close()
        var config = RunConfiguration(data: DataConfiguration(file: path))
        config.data.testFraction = 0.25
        config.data.standardizeTargets = true
        let a = try ActivationData.load(config.data, seed: 4), b = try ActivationData.load(config.data, seed: 4)
        let c = try ActivationData.load(config.data, seed: 5)
        XCTAssertEqual(a.testRows.count, 25)
        XCTAssertEqual(a.testRows, b.testRows)
        XCTAssertNotEqual(a.testRows, c.testRows)
        XCTAssertEqual(a.validationRows.count, 8)  // 10 % of the 75 non-test rows
        XCTAssertEqual(Set(a.trainRows).union(a.validationRows).union(a.testRows), Set(0..<100))
        XCTAssertEqual(a.trainRows.count + a.validationRows.count + a.testRows.count, 100)
        let trainMean = a.trainRows.reduce(0.0) { $0 + Double(a.targets[$1, 0]) } / Double(a.trainRows.count)
        XCTAssertEqual(trainMean, 0, accuracy: 1e-5)
        XCTAssertEqual(a.targetNames, ["logits[0]"])
    }

    func testGroupsStayTogetherInEverySplit() throws {
        let path = path("g.h5")
        let file = try HDF5File(path: path, mode: .truncate)
        try file.write("activations", floats: (0..<600).map { Float($0 % 13) }, shape: [200, 3])
        try file.write("logits", floats: (0..<200).map { Float($0) }, shape: [200])
        let groups = (0..<200).map { $0 / 4 }  // 50 sources, 4 crops each
        try file.write("source", ints: groups, shape: [200])
        file.close()
        var config = RunConfiguration(data: DataConfiguration(file: path))
        config.data.groups = "source"
        config.data.validationFraction = 0.2
        let data = try ActivationData.load(config.data, seed: 3)
        func sources(_ rows: [Int]) -> Set<Int> { Set(rows.map { groups[$0] }) }
        XCTAssertEqual(data.testRows.count, 40)  // 20 % of 200, whole groups of 4
        XCTAssertEqual(data.validationRows.count, 32)  // 20 % of 160
        XCTAssertTrue(sources(data.trainRows).isDisjoint(with: sources(data.testRows)))
        XCTAssertTrue(sources(data.trainRows).isDisjoint(with: sources(data.validationRows)))
        XCTAssertTrue(sources(data.validationRows).isDisjoint(with: sources(data.testRows)))
        config.data.groups = "missing"
        XCTAssertThrowsError(try ActivationData.load(config.data, seed: 3)) { XCTAssert("\($0)".contains("missing"), "\($0)") }
    }

    /// Inside an epoch, `.batches` events count the steps done out of the epoch's batches.
    func testProgressInsideAnEpochCountsBatches() throws {
        let data = makeData(rows: 1000)
        var t = trainer(try settings(["training.epochs=1", "training.acceptance.enabled=false", "data.validation_fraction=0"]), data: data)
        t.progressInterval = .zero
        var seen: [(done: Int, total: Int)] = []
        _ = try t.train(data) { if case .batches(_, let epoch, let done, let total, _) = $0, epoch == 1 { seen.append((done, total)) } }
        XCTAssertEqual(seen.map(\.done), [16, 32])  // 800 training rows in batches of 20: 40 steps, one report every 16
        XCTAssertEqual(Set(seen.map(\.total)), [40])
    }
}
