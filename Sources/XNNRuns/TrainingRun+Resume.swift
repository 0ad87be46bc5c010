import Foundation
import XNNTraining

/// `xnn train` with checkpoints: saved into the staging folder while training runs, kept there
/// when a stop request (SIGINT/SIGTERM) ends training, continued by `xnn train --resume`.
extension TrainingRun {
    /// Stages the run (or takes over the interrupted run's staging folder), lets `body` fill it
    /// and moves it into place. A stopped run keeps its staging folder with the checkpoint; any
    /// other failure removes it.
    func produceResumable(_ body: (RunDirectory) throws -> Summary) throws -> Summary {
        let directory = try resume.map {
            try RunDirectory(resuming: $0.staging, destination: URL(fileURLWithPath: outputDirectory).standardizedFileURL,
                             path: outputDirectory, force: force)
        } ?? RunDirectory(path: outputDirectory, force: force, notice: notice)
        do {
            let summary = try body(directory)
            try directory.commit()
            try? FileManager.default.removeItem(at: directory.destination.appendingPathComponent(RunDirectory.checkpointFile))
            return summary
        } catch let stopped as TrainingStopped {
            throw TrainingInterruption(stopped: stopped, staging: RunDirectory.display(directory.staging.lastPathComponent, besides: outputDirectory),
                                       destination: outputDirectory)
        } catch {
            directory.abandon()
            throw error
        }
    }

    /// Checkpoints into `directory` every `training.checkpoint_minutes`, continuing from `resume`.
    func checkpointing(in directory: RunDirectory) throws -> TrainingCheckpointing {
        let info = try resume?.info ?? ResumeInfo(
            configuration: try configuration.yaml(), workingDirectory: FileManager.default.currentDirectoryPath,
            destination: outputDirectory, force: force, data: try DataFingerprint.of(configuration.data.file))
        return TrainingCheckpointing(resumeFrom: resume?.checkpoint, interval: configuration.training.checkpointMinutes * 60, stop: stop) {
            try CheckpointFile.write($0, info: info, in: directory)
        }
    }
}

/// Training stopped on a signal after saving its checkpoint: one line saying how to continue.
public struct TrainingInterruption: Error, CustomStringConvertible {
    public let stopped: TrainingStopped
    public let staging: String
    public let destination: String

    /// The conventional status of a process ended by `signal`: 128 + its number.
    public var exitStatus: Int32 { 128 + stopped.signal }

    public var description: String {
        let name = stopped.signal == SIGINT ? "SIGINT" : stopped.signal == SIGTERM ? "SIGTERM" : "signal \(stopped.signal)"
        let argument = destination.contains(" ") ? "'\(destination)'" : destination
        return "stopped by \(name); checkpoint saved in \(staging) (attempt \(stopped.attempt + 1), \(stopped.epoch) epoch(s) done); "
            + "continue with: xnn train --resume \(argument)"
    }
}
