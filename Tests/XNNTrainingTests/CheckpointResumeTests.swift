import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNModel
import XNNStorage
@testable import XNNTraining

/// A run stopped at an epoch boundary, in the middle of an epoch or of a later attempt, and
/// continued from its checkpoint, ends exactly where an uninterrupted run ends.
final class CheckpointResumeTests: FolderTestCase {
    func makeData(rows: Int = 200, columns: Int = 10) -> ActivationData {
        var generator = SeededGenerator(seed: 5)
        let inputs = Matrix(rows: rows, columns: columns), targets = Matrix(rows: rows, columns: 2)
        for i in 0..<rows {
            for d in 0..<columns { inputs[i, d] = max(0, generator.nextFloat(in: -0.5, 1.5)) }
            targets[i, 0] = 2 * inputs[i, 0] - inputs[i, 1] + max(0, inputs[i, 2] - 0.5)
            targets[i, 1] = inputs[i, 3] + 0.5 * inputs[i, 4] * inputs[i, 5]
        }
        let nonTest = (0..<rows).filter { $0 % 5 != 0 }
        return ActivationData(file: "memory", inputs: inputs, targets: targets,
                              trainRows: nonTest.filter { $0 % 7 != 0 }, validationRows: nonTest.filter { $0 % 7 == 0 },
                              testRows: Array(stride(from: 0, to: rows, by: 5)), targetColumns: [0, 1], targetNames: ["a", "b"],
                              activationNormalization: .identity(columns: columns), targetNormalization: .identity(columns: 2))
    }

    /// Dropout, revival, the constrained recipe's multipliers and three fits (the search's three
    /// candidates; the paper's recipe retries as no attempt can pass a second-to-first ratio of 1),
    /// so every piece of state is in play.
    func trainer(_ data: ActivationData, _ overrides: [String] = []) throws -> Trainer {
        var c = RunConfiguration(data: DataConfiguration(file: "memory"))
        c.model.hiddenWidths = [16, 8]
        c.model.concepts = 3
        c.model.dropout = 0.2
        c.training.epochs = 6
        c.training.batchSize = 20
        c.training.threads = 1
        c.training.acceptance.secondToFirstRatio = 1
        c = try c.overridden(overrides)
        return Trainer(architecture: c.model.architecture(inputDimension: data.inputDimension, outputs: data.outputCount),
                       lossWeights: c.loss, settings: c.training, seed: 7)
    }

    /// The checkpoint a run saves when asked to stop once `stopWhen` sees an epoch end, read back from its file.
    func stoppedCheckpoint(_ trainer: Trainer, data: ActivationData, stopWhen: @escaping (EpochRecord) -> Bool,
                           expected: TrainingStopped) throws -> TrainingCheckpoint {
        let stop = StopRequest()
        var stopping = trainer
        let file = path("checkpoint-\(expected.attempt)-\(expected.epoch).h5")
        stopping.checkpoints = TrainingCheckpointing(interval: 1e9, stop: stop) { checkpoint in
            let h5 = try HDF5File(path: file, mode: .truncate)
            defer { h5.close() }
            try checkpoint.write(to: h5)
        }
        XCTAssertThrowsError(try stopping.train(data) { event in
            if case .epoch(let record, _, _) = event, stopWhen(record) { stop.request(signal: SIGTERM) }
        }) { XCTAssertEqual($0 as? TrainingStopped, expected) }
        let h5 = try HDF5File(path: file)
        defer { h5.close() }
        return try TrainingCheckpoint(from: h5)
    }

    func resumed(_ trainer: Trainer, from checkpoint: TrainingCheckpoint, data: ActivationData) throws -> TrainingOutcome {
        var resuming = trainer
        resuming.checkpoints = TrainingCheckpointing(resumeFrom: checkpoint, interval: 1e9) { _ in }
        return try resuming.train(data)
    }

    func assertIdentical(_ a: TrainingOutcome, _ b: TrainingOutcome, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let (p, q) = (a.model as! SRAE, b.model as! SRAE)
        XCTAssertEqual(p.architecture, q.architecture, "architecture, \(label)", file: file, line: line)
        XCTAssertEqual(p.parameters.map { $0.value.toArray().map(\.bitPattern) }, q.parameters.map { $0.value.toArray().map(\.bitPattern) },
                       "parameters, \(label)", file: file, line: line)
        func untimed(_ records: [EpochRecord]) -> [EpochRecord] { records.map { var r = $0; r.seconds = 0; r.samplesPerSecond = 0; return r } }
        XCTAssertEqual(untimed(a.history), untimed(b.history), "history, \(label)", file: file, line: line)
        XCTAssertEqual(a.attempts, b.attempts, "attempts, \(label)", file: file, line: line)
        XCTAssertEqual(a.chosen, b.chosen, "chosen attempt, \(label)", file: file, line: line)
    }

    func testResumeFromAnyEpochOfAnyAttemptEndsBitIdentical() throws {
        let data = makeData()
        let variants = [[], ["training.shuffle=chunks", "training.shuffle_chunk_rows=16", "training.shuffle_buffer_rows=48"],
                        ["training.search.dropout=[0.1, 0.3]", "training.search.weight_decay_factors=[1]"], ["training.recipe=paper"]]
        for overrides in variants {
            let trainer = try self.trainer(data, overrides)
            let uninterrupted = try trainer.train(data)
            XCTAssertEqual(uninterrupted.attempts.count, 3, "the test needs every attempt")
            XCTAssertGreaterThan(uninterrupted.history.flatMap(\.revivedConcepts).count + uninterrupted.history.count, 0)
            for (attempt, epoch) in [(0, 1), (0, 4), (1, 3), (2, 5)] {
                let checkpoint = try stoppedCheckpoint(trainer, data: data, stopWhen: { $0.attempt == attempt && $0.epoch == epoch },
                                                       expected: TrainingStopped(signal: SIGTERM, attempt: attempt, epoch: epoch))
                XCTAssertEqual(checkpoint.state.bestAttempt != nil, attempt > 0)
                assertIdentical(uninterrupted, try resumed(trainer, from: checkpoint, data: data), "stopped after attempt \(attempt + 1) epoch \(epoch) \(overrides)")
            }
        }
    }

    func testSavingCheckpointsChangesNothing() throws {
        let data = makeData()
        let trainer = try self.trainer(data)
        var saving = trainer
        var saves = 0
        saving.checkpoints = TrainingCheckpointing(interval: 0) { _ in saves += 1 }
        assertIdentical(try trainer.train(data), try saving.train(data), "saving at every epoch")
        XCTAssertEqual(saves, 18, "interval 0 saves at the start of each of the 6 epochs of 3 attempts")
        var hourly = trainer
        hourly.checkpoints = TrainingCheckpointing(interval: 3600) { _ in saves += 1 }
        _ = try hourly.train(data)
        XCTAssertEqual(saves, 18, "a run shorter than the interval saves nothing")
    }

    func testCheckpointIntervalIsReadAndChecked() throws {
        func minutes(_ text: String) throws -> Double {
            try RunConfiguration.parse(yaml: "data:\n  file: x.h5\ntraining:\n  checkpoint_minutes: \(text)\n").training.checkpointMinutes
        }
        XCTAssertEqual(try minutes("0.5"), 0.5)
        XCTAssertEqual(try minutes("0"), 0)
        XCTAssertEqual(RunConfiguration(data: DataConfiguration(file: "x.h5")).training.checkpointMinutes, 5)
        for bad in ["-1", ".inf", "soon"] {
            XCTAssertThrowsError(try minutes(bad)) {
                XCTAssertTrue("\($0)".contains("training.checkpoint_minutes: expected a non-negative number of minutes"), "\($0)")
            }
        }
    }

    /// A stop request during an epoch abandons it: the checkpoint holds the epoch's start, and the
    /// resumed run repeats it exactly. The request comes from another thread, as from a signal.
    func testStopDuringAnEpochResumesFromItsStart() throws {
        let data = makeData(rows: 3000)
        let trainer = try self.trainer(data, ["training.epochs=40"])
        let uninterrupted = try trainer.train(data)
        let stop = StopRequest()
        var latest: TrainingCheckpoint?
        var stopping = trainer
        stopping.checkpoints = TrainingCheckpointing(interval: 1e9, stop: stop) { latest = $0 }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { stop.request(signal: SIGINT) }
        XCTAssertThrowsError(try stopping.train(data)) { XCTAssertEqual(($0 as? TrainingStopped)?.signal, SIGINT) }
        let checkpoint = try XCTUnwrap(latest)
        assertIdentical(uninterrupted, try resumed(trainer, from: checkpoint, data: data), "stopped mid-run")
    }

    func testCheckpointOfAnotherModelIsRefused() throws {
        let data = makeData()
        let checkpoint = try stoppedCheckpoint(try trainer(data), data: data, stopWhen: { $0.epoch == 2 },
                                               expected: TrainingStopped(signal: SIGTERM, attempt: 0, epoch: 2))
        let wider = try trainer(data, ["model.concepts=4"])
        XCTAssertThrowsError(try resumed(wider, from: checkpoint, data: data)) {
            XCTAssertEqual($0 as? CheckpointError, .inconsistent("the parameters do not fit the configured model"))
        }
    }
}
