import Foundation
import XNNModel

/// A request to stop training at the next safe point, set from a signal handler's thread.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var signalNumber: Int32?

    public init() {}

    /// Records the first signal; later ones do not change it.
    public func request(signal: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if signalNumber == nil { signalNumber = signal }
    }

    /// The signal that asked to stop, nil while none has.
    public var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signalNumber
    }
}

/// Training stopped on request after saving the checkpoint of `epoch` (epochs done) of `attempt`.
public struct TrainingStopped: Error, Sendable, Equatable {
    public let signal: Int32
    /// 0-based attempt.
    public let attempt: Int
    public let epoch: Int
}

/// When a training run saves checkpoints, and whether it should stop. At the start of every epoch
/// the trainer hands over its state (a copy of parameters and moments: little next to an epoch's
/// work); it is saved when `interval` has passed since the last save. A stop request is honoured
/// after the step under way: the epoch is abandoned, the state of its start saved, and
/// `TrainingStopped` thrown, so a resumed run repeats that epoch exactly.
public final class TrainingCheckpointing {
    /// The checkpoint a resumed run continues from.
    public let resumeFrom: TrainingCheckpoint?
    /// Seconds between saves (0: at every epoch boundary).
    public let interval: Double
    public let stop: StopRequest
    private let save: (TrainingCheckpoint) throws -> Void
    private let started = ContinuousClock.now
    private var lastSave = ContinuousClock.now
    private var run: RunProgress?
    private var latest: TrainingCheckpoint?
    private var latestSaved = false
    private var resumedAttemptTaken = false

    public init(resumeFrom: TrainingCheckpoint? = nil, interval: Double, stop: StopRequest = StopRequest(),
                save: @escaping (TrainingCheckpoint) throws -> Void) {
        self.resumeFrom = resumeFrom
        self.interval = interval
        self.stop = stop
        self.save = save
    }

    /// Where a resumed run starts over attempts; nil for a fresh run.
    func resumedProgress(architecture: SRAEArchitecture) throws -> RunProgress? {
        try resumeFrom?.runProgress(architecture: architecture)
    }

    func attemptStarting(_ progress: RunProgress) { run = progress }

    /// The checkpoint whose attempt the first `trainOnce` continues (once only).
    func takeResumedAttempt() -> TrainingCheckpoint? {
        defer { resumedAttemptTaken = true }
        return resumedAttemptTaken ? nil : resumeFrom
    }

    /// The state at an epoch boundary: kept, saved when due, and the end of training on a stop request.
    func epochStarting(_ capture: (RunProgress, Double) -> TrainingCheckpoint) throws {
        guard let run else { preconditionFailure("attemptStarting was not called") }
        latest = capture(run, run.secondsBefore + started.duration(to: .now).seconds)
        latestSaved = false
        if interval <= 0 || lastSave.duration(to: .now) >= .seconds(interval) { try saveLatest() }
        try stopIfRequested()
    }

    /// Called after each step: on a stop request the epoch is abandoned.
    func stepFinished() throws { try stopIfRequested() }

    private func stopIfRequested() throws {
        guard let signal = stop.signal, let latest else { return }
        if !latestSaved { try saveLatest() }
        throw TrainingStopped(signal: signal, attempt: latest.state.attempt, epoch: latest.state.epoch)
    }

    private func saveLatest() throws {
        guard let latest else { return }
        try save(latest)
        latestSaved = true
        lastSave = .now
    }
}
