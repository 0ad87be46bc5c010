import XCTest
import XNNLinearAlgebra
import XNNModel
@testable import XNNTraining

/// The constrained recipe (docs/method.md §4): multipliers that move the right way, faithfulness
/// restored where fixed weights underfit, and the kept epoch chosen on the validation rows.
final class ConstrainedRecipeTests: XCTestCase {
    /// y depends on two of twelve inputs; the others are larger nuisance the reconstruction wants.
    func makeData(rows: Int = 1500, seed: UInt64 = 11) -> ActivationData {
        var generator = SeededGenerator(seed: seed)
        let columns = 12
        let inputs = Matrix(rows: rows, columns: columns), targets = Matrix(rows: rows, columns: 1)
        for i in 0..<rows {
            for d in 0..<columns { inputs[i, d] = max(0, generator.nextFloat(in: -0.5, 1.5)) * (d < 2 ? 0.3 : 3) }
            targets[i, 0] = 4 * inputs[i, 0] - 2 * inputs[i, 1]
        }
        return ActivationData(file: "memory", inputs: inputs, targets: targets,
                              trainRows: (0..<rows).filter { $0 % 5 > 1 }, validationRows: (0..<rows).filter { $0 % 5 == 1 },
                              testRows: (0..<rows).filter { $0 % 5 == 0 }, targetColumns: [0], targetNames: ["y"],
                              activationNormalization: .identity(columns: columns), targetNormalization: .identity(columns: 1))
    }

    func train(_ recipe: TrainingRecipe, data: ActivationData) throws -> TrainingOutcome {
        var c = RunConfiguration(data: DataConfiguration(file: "memory"))
        c.model.hiddenWidths = [16]
        c.model.concepts = 3
        c.training.batchSize = 20
        c.training.epochs = 40
        c.training.threads = 1
        c.training.recipe = recipe
        c.training.acceptance.enabled = false
        c.loss.prediction = 0.01  // far too little weight on faithfulness: the paper's recipe underfits
        let trainer = Trainer(architecture: c.model.architecture(inputDimension: data.inputDimension, outputs: 1),
                              lossWeights: c.loss, settings: c.training, seed: 3)
        return try trainer.train(data)
    }

    func r2(_ model: any ConceptModel, _ data: ActivationData, rows: [Int]) throws -> Double {
        let (_, predictions) = try data.infer(model, rows: rows)
        let targets = Matrix(rows: rows.count, columns: 1)
        ActivationData.gather(rows: rows[...], from: data.targets, into: targets)
        var residual = 0.0, total = 0.0
        let mean = rows.indices.reduce(0.0) { $0 + Double(targets[$1, 0]) } / Double(rows.count)
        for i in rows.indices {
            residual += pow(Double(targets[i, 0] - predictions[i, 0]), 2)
            total += pow(Double(targets[i, 0]) - mean, 2)
        }
        return 1 - residual / total
    }

    func testMultiplierGrowsWhileViolatedAndShrinksOnceMetWithinBounds() {
        var constraint = LossConstraint(tolerance: 1, initialWeight: 2)
        for _ in 0..<100 { _ = constraint.update(3) }
        let raised = constraint.multiplier
        XCTAssertGreaterThan(raised, 2 * 1.5)
        for _ in 0..<8000 { _ = constraint.update(9) }
        XCTAssertEqual(constraint.multiplier, 2 * 1e4, accuracy: 1e-2, "bounded above at 10⁴ × max(initial weight, 1)")
        for _ in 0..<100 { _ = constraint.update(0) }
        XCTAssertLessThan(constraint.multiplier, 2 * 1e4)
        for _ in 0..<20000 { _ = constraint.update(0) }
        XCTAssertEqual(constraint.multiplier, 1e-3, accuracy: 1e-9, "bounded below at 10⁻³ × min(initial weight, 1)")
    }

    func testConstraintRestoresFaithfulnessWhereFixedWeightsUnderfit() throws {
        let data = makeData()
        let paper = try r2(try train(.paper, data: data).model, data, rows: data.testRows)
        let constrained = try train(.constrained, data: data)
        let heldOut = try r2(constrained.model, data, rows: data.testRows)
        XCTAssertLessThan(paper, 0.9, "the fixed weights were expected to underfit this data")
        XCTAssertGreaterThan(heldOut, 0.95, "constrained held-out R² \(heldOut) (paper: \(paper))")
        XCTAssertGreaterThan(constrained.history.last!.faithfulnessWeight, 0.01, "α_pred should have grown")
    }

    func testKeptEpochIsTheOneRestored() throws {
        let data = makeData()
        let outcome = try train(.constrained, data: data)
        let kept = outcome.history.filter(\.kept)
        XCTAssertEqual(kept.count, 1)
        let validation = try r2(outcome.model, data, rows: data.validationRows)
        XCTAssertEqual(validation, try XCTUnwrap(kept.first?.validation?.r2), accuracy: 1e-4)
        XCTAssertNotNil(outcome.chosen.quality)
    }

    func testEpochQualityRanksDeadThenViolationThenLoss() {
        func quality(dead: Int = 0, r2: Double = 0.975, pullAway: Double = 0.02, loss: Double = 0) -> EpochQuality {
            BestEpoch.constrainedQuality(dead: dead, r2: r2, pullAway: pullAway, target: 0.98, orthogonalityTarget: 0.02, loss: loss)
        }
        let good = quality(loss: 9)
        XCTAssertEqual(good.violation, 0, "R² within the slack and the pull-away term at its target meet both")
        XCTAssertLessThan(good, quality(dead: 1))
        XCTAssertLessThan(quality(loss: 1), good)
        // Each shortfall in units of its budget: R² 0.96 misses by 0.01 of a 0.02 budget (0.5),
        // a pull-away term of 0.05 exceeds a 0.02 target by 1.5 targets.
        XCTAssertEqual(quality(r2: 0.96).violation, 0.5, accuracy: 1e-9)
        XCTAssertEqual(quality(pullAway: 0.05).violation, 1.5, accuracy: 1e-9)
        XCTAssertEqual(quality(r2: 0.96).faithShortfall, 0.04, accuracy: 1e-12)
        XCTAssertEqual(quality(pullAway: 0.05).orthogonalityExcess, 0.03, accuracy: 1e-12)
        // A hair short of the faithfulness target is nearer than overlapping concepts.
        XCTAssertLessThan(quality(r2: 0.9696, loss: 50), quality(pullAway: 0.3))
        XCTAssertLessThan(quality(pullAway: 0.021), quality(r2: 0.95))
    }

    func testOldCheckpointQualityReadsWithoutViolation() throws {
        let json = #"{"dead":1,"faithShortfall":0,"orthogonalityExcess":0.5,"loss":2}"#
        let quality = try JSONDecoder().decode(EpochQuality.self, from: Data(json.utf8))
        XCTAssertEqual(quality.violation, 0)
        XCTAssertEqual(quality.orthogonalityExcess, 0.5)
    }

    /// Concept sparsity has no multiplier, so it ranks epochs beside reconstruction (it did not).
    func testUnconstrainedLossCountsReconstructionAndSparsity() {
        let losses = LossValues(faithfulness: 5, reconstruction: 0.5, pullAway: 7, sparsity: 0.25)
        var weights = LossWeights(reconstruction: 2)
        XCTAssertEqual(BestEpoch.unconstrainedLoss(losses, weights: weights), 1, accuracy: 1e-12)
        weights.conceptSparsity = 4
        XCTAssertEqual(BestEpoch.unconstrainedLoss(losses, weights: weights), 2, accuracy: 1e-12)
    }
}
