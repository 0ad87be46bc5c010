import XCTest
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel
import XNNStorage
@testable import XNNTraining

/// The independent-component start (docs/method.md §4, "Where the concepts start"): two sparse
/// concepts that drive the same output, hidden under larger dense nuisance, come out as two
/// concepts (not one mixture of them), the start is recorded with each fit, and the recipe
/// chooses the default.
final class IndependentComponentStartTests: XCTestCase {
    struct Planted {
        let data: ActivationData
        let concepts: [[Double]]
    }

    /// y = 0.5·c0 + 1.5·c1; z = ReLU-free mixture of c0, c1 (sparse, exponential) and three
    /// Gaussian nuisance factors with four times their variance, in 10 features.
    func makePlanted(rows: Int = 2000) -> Planted {
        var generator = SeededGenerator(seed: 5)
        let columns = 10
        let mixing = (0..<columns).map { _ in (0..<5).map { _ in Double(generator.nextFloat(in: 0.2, 1)) } }
        var concepts: [[Double]] = []
        let inputs = Matrix(rows: rows, columns: columns), targets = Matrix(rows: rows, columns: 1)
        for i in 0..<rows {
            let c = (0..<2).map { _ in generator.nextUnitFloat() < 0.7 ? 0 : -log(Double(max(generator.nextUnitFloat(), 1e-7))) }
            let factors = c + (0..<3).map { _ in 2 * generator.nextGaussian() }
            for d in 0..<columns { inputs[i, d] = Float((0..<5).reduce(0.02 * generator.nextGaussian()) { $0 + mixing[d][$1] * factors[$1] }) }
            targets[i, 0] = Float(0.5 * c[0] + 1.5 * c[1])
            concepts.append(c)
        }
        let data = ActivationData(file: "memory", inputs: inputs, targets: targets,
                                  trainRows: (0..<rows).filter { $0 % 5 > 1 }, validationRows: (0..<rows).filter { $0 % 5 == 1 },
                                  testRows: (0..<rows).filter { $0 % 5 == 0 }, targetColumns: [0], targetNames: ["y"],
                                  activationNormalization: .identity(columns: columns), targetNormalization: .identity(columns: 1))
        return Planted(data: data, concepts: concepts)
    }

    func configuration() -> RunConfiguration {
        var c = RunConfiguration(data: DataConfiguration(file: "memory"))
        c.model.hiddenWidths = [24]
        c.model.concepts = 2
        c.training.batchSize = 25
        c.training.threads = 1
        return c
    }

    func testStartSeparatesTwoConceptsOfOneOutput() throws {
        let planted = makePlanted(), c = configuration()
        let model = SRAE(architecture: c.model.architecture(inputDimension: planted.data.inputDimension, outputs: 1))
        var generator = SeededGenerator(seed: 2)
        model.initialize(using: &generator)
        let record = try IndependentComponentStart.run(model: model, data: planted.data, settings: c.training, pool: nil,
                                                       generator: &generator)
        XCTAssertEqual(record.chosen.count, 2)
        XCTAssertGreaterThan(try XCTUnwrap(record.r2), 0.95, "the two chosen components rebuild y")
        let rows = planted.data.testRows
        let (x, _) = try planted.data.infer(model, rows: rows)
        let found = (0..<2).map { j in rows.indices.map { Double(x[$0, j]) } }
        let truth = (0..<2).map { t in rows.map { planted.concepts[$0][t] } }
        let direct = min(RankCorrelation.pearson(found[0], truth[0]), RankCorrelation.pearson(found[1], truth[1]))
        let swapped = min(RankCorrelation.pearson(found[0], truth[1]), RankCorrelation.pearson(found[1], truth[0]))
        XCTAssertGreaterThan(max(direct, swapped), 0.9, "each concept follows one planted concept: \(record) \([direct, swapped])")
    }

    /// The analyses of all counts, side by side on a pool, equal the same analyses one after the
    /// other from one generator, and leave the generator where the sequence leaves it.
    func testAnalysesOnAPoolEqualThemInSequence() throws {
        let planted = makePlanted(rows: 600), sample = planted.data.inputs
        let rows = Array(0..<sample.rows), counts = [2, 3, 4, 6]
        let axes = try PrincipalAxes(sample, rows: rows, count: 8)
        var sequential = SeededGenerator(seed: 9), pooled = sequential
        let expected = try counts.map { try IndependentComponents(sample, rows: rows, axes: axes, count: $0, generator: &sequential) }
        let found = try IndependentComponentStart.analyses(of: sample, axes: axes, counts: counts, pool: WorkerPool(threads: 3),
                                                           generator: &pooled)
        XCTAssertEqual(found.map(\.count), counts)
        for (analysis, reference) in zip(found.map(\.ica), expected) {
            XCTAssertEqual(analysis.unmixing, reference.unmixing)
            XCTAssertEqual(analysis.settled, reference.settled)
            XCTAssertEqual(analysis.iterations, reference.iterations)
        }
        XCTAssertEqual(pooled.next(), sequential.next(), "the generator moved on as far")
    }

    func testEveryFitRecordsItsStartAndRandomStartsRecordNone() throws {
        let planted = makePlanted(rows: 800)
        var c = configuration()
        c.training.epochs = 3
        c.training.search.candidates = 2
        for start in [ConceptStart.independentComponents, .random] {
            c.training.conceptStart = start
            let trainer = Trainer(architecture: c.model.architecture(inputDimension: planted.data.inputDimension, outputs: 1),
                                  lossWeights: c.loss, settings: c.training, seed: 4)
            let outcome = try trainer.train(planted.data)
            XCTAssertEqual(outcome.attempts.count, 2)
            for report in outcome.attempts { XCTAssertEqual(report.start != nil, start == .independentComponents, "\(start)") }
        }
    }

    func testRecipeChoosesTheDefaultAndTheKeyOverridesIt() throws {
        func start(_ yaml: String) throws -> ConceptStart {
            try RunConfiguration.parse(yaml: "data:\n  file: x.h5\n" + yaml).training.conceptStart
        }
        XCTAssertEqual(try start(""), .independentComponents)
        XCTAssertEqual(try start("training:\n  recipe: paper\n"), .random)
        XCTAssertEqual(try start("training:\n  recipe: paper\n  concept_start: independent_components\n"), .independentComponents)
        XCTAssertEqual(try start("training:\n  concept_start: random\n"), .random)
        XCTAssertThrowsError(try start("training:\n  concept_start: ica\n")) { error in
            XCTAssertTrue("\(error)".contains("training.concept_start"), "\(error)")
        }
    }
}
