import Foundation
import XNNStorage
import XNNTraining

/// What a checkpoint holds besides the training state: how the run was started, so
/// `xnn train --resume` continues it as it was (checkpoint.h5, dataset `run/info`, JSON).
public struct ResumeInfo: Codable, Equatable, Sendable {
    public static let currentFormat = 1
    public var format = ResumeInfo.currentFormat
    /// The resolved configuration (config.yaml), parsed again on resume.
    public var configuration: String
    /// Relative paths in the configuration and `destination` are taken from here.
    public var workingDirectory: String
    /// The run directory as the user named it.
    public var destination: String
    public var force: Bool
    public var data: DataFingerprint
}

/// Size and modification time of the data file: a resumed run must read the same data.
public struct DataFingerprint: Codable, Equatable, Sendable {
    public var size: Int
    public var modified: Double

    public static func of(_ path: String) throws -> DataFingerprint {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return DataFingerprint(size: (attributes[.size] as? NSNumber)?.intValue ?? -1,
                                   modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        } catch {
            throw StagingError.dataChanged(file: path, reason: "it cannot be read: \(error.localizedDescription)")
        }
    }
}

/// An interrupted run to continue: its staging folder and checkpoint.
public struct ResumePoint {
    public let staging: URL
    public let info: ResumeInfo
    public let checkpoint: TrainingCheckpoint

    /// `path` is the run directory the interrupted run was writing (the staging folder beside it
    /// holding a checkpoint is found) or that staging folder itself.
    public static func find(_ path: String) throws -> ResumePoint {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let name = url.lastPathComponent
        if name.hasPrefix("."), let range = name.range(of: ".partial-") {
            let destination = url.deletingLastPathComponent().appendingPathComponent(String(name[name.index(after: name.startIndex)..<range.lowerBound]))
            let leftover = RunDirectory.leftovers(of: destination, path: path).first { $0.url == url }
            guard let leftover else { throw StagingError.nothingToResume(path: path, reason: "no such staging folder") }
            return try read(leftover)
        }
        let leftovers = RunDirectory.leftovers(of: url, path: path).filter(\.hasCheckpoint)
        let gone = leftovers.filter { if case .gone = $0.owner { return true } else { return false } }
        guard let newest = gone.max(by: { modified($0) < modified($1) }) else {
            if let live = leftovers.first { return try read(live) }  // reports who is writing it
            let finished = FileManager.default.fileExists(atPath: url.appendingPathComponent("metrics.json").path)
            throw StagingError.nothingToResume(path: path, reason: finished
                ? "the run finished (no interrupted run beside it holds a checkpoint)"
                : "no staging folder beside it holds a checkpoint (was the run stopped before its first one?)")
        }
        return try read(newest)
    }

    private static func modified(_ leftover: RunDirectory.Leftover) -> Date {
        let file = leftover.url.appendingPathComponent(RunDirectory.checkpointFile).path
        return ((try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date) ?? .distantPast
    }

    private static func read(_ leftover: RunDirectory.Leftover) throws -> ResumePoint {
        switch leftover.owner {
        case .alive(let pid): throw StagingError.inUse(path: leftover.display, pid: pid)
        case .unknown: throw StagingError.nothingToResume(path: leftover.display, reason: "it has no owner record, so it may be in use")
        case .gone: break
        }
        let path = leftover.url.appendingPathComponent(RunDirectory.checkpointFile).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StagingError.nothingToResume(path: leftover.display, reason: "it holds no \(RunDirectory.checkpointFile)")
        }
        let file = try HDF5File(path: path)
        defer { file.close() }
        guard let text = try file.readStrings(CheckpointFile.infoDataset).first,
              let info = try? JSONDecoder().decode(ResumeInfo.self, from: Data(text.utf8)), info.format == ResumeInfo.currentFormat else {
            throw StagingError.nothingToResume(path: path, reason: "not a checkpoint of format \(ResumeInfo.currentFormat)")
        }
        do {
            return ResumePoint(staging: leftover.url, info: info, checkpoint: try TrainingCheckpoint(from: file))
        } catch {
            throw StagingError.nothingToResume(path: path, reason: "its training state cannot be read (\(error))")
        }
    }

    /// The interrupted run's configuration, once its data file is found unchanged (paths are
    /// taken from `info.workingDirectory`, the caller's current directory by then).
    public func configuration() throws -> RunConfiguration {
        let configuration = try RunConfiguration.parse(yaml: info.configuration,
                                                       file: staging.appendingPathComponent("config.yaml").path)
        let now = try DataFingerprint.of(configuration.data.file)
        if now != info.data {
            throw StagingError.dataChanged(file: configuration.data.file, reason: now.size != info.data.size
                ? "\(info.data.size) bytes then, \(now.size) now" : "modified since")
        }
        return configuration
    }
}

/// checkpoint.h5: `run/info` (ResumeInfo as JSON) and the training state (TrainingCheckpoint+File.swift),
/// written under a temporary name, flushed to disk and renamed into place, so the last complete
/// checkpoint survives a process killed while writing the next.
enum CheckpointFile {
    static let infoDataset = "run/info"

    static func write(_ checkpoint: TrainingCheckpoint, info: ResumeInfo, in directory: RunDirectory) throws {
        let path = directory.file(RunDirectory.checkpointFile), temporary = path + ".partial"
        do {
            let file = try HDF5File(path: temporary, mode: .truncate)
            defer { file.close() }
            try file.write(infoDataset, strings: [try JSONText.encode(info)])
            try checkpoint.write(to: file)
        }
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 { fsync(descriptor); close(descriptor) }
        guard rename(temporary, path) == 0 else { throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }
}
