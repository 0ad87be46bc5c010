import Foundation
import XNNLinearAlgebra
import XNNStorage

/// provenance.json: where a run came from: the xnn version and source commit, when, the command
/// line, the threads it trained on and the machine. Kept apart from metrics.json, which two runs
/// with the same seed write identically (docs/outputs.md).
public struct Provenance: Codable, Equatable, Sendable {
    public struct Machine: Codable, Equatable, Sendable {
        public var hostname: String
        public var processor: String
        public var cores: Int
        public var memoryGigabytes: Double
        public var system: String

        enum CodingKeys: String, CodingKey {
            case hostname, processor, cores, memoryGigabytes = "memory_gb", system
        }

        /// This machine, read from ProcessInfo and /proc/cpuinfo.
        public static var current: Machine {
            let info = ProcessInfo.processInfo
            let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
                .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            return Machine(hostname: info.hostName, processor: model ?? "unknown", cores: info.activeProcessorCount,
                           memoryGigabytes: (Double(info.physicalMemory) / 1e9 * 10).rounded() / 10,
                           system: info.operatingSystemVersionString)
        }
    }

    public var xnnVersion: String
    /// The commit checked out in the repository the `xnn` executable lies in (read from its .git
    /// folder at run time: the build's source unless the checkout moved since); nil elsewhere.
    public var sourceCommit: String?
    /// When the run started, ISO 8601 in UTC.
    public var started: String
    public var commandLine: [String]
    public var workingDirectory: String
    /// Worker threads the training used (training.threads resolved for this model and machine).
    public var threads: Int
    public var blas: String
    public var machine: Machine

    enum CodingKeys: String, CodingKey {
        case xnnVersion = "xnn_version", sourceCommit = "source_commit", started, commandLine = "command_line"
        case workingDirectory = "working_directory", threads, blas, machine
    }

    /// The provenance of a run started now by this process; `threads` is filled in by the run.
    public static func current(version: String) -> Provenance {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return Provenance(xnnVersion: version, sourceCommit: SourceCommit.find(above: executable),
                          started: ISO8601DateFormatter().string(from: Date()), commandLine: CommandLine.arguments,
                          workingDirectory: FileManager.default.currentDirectoryPath, threads: 0,
                          blas: BLAS.configuration, machine: .current)
    }

    public func json() throws -> String { try JSONText.encode(self) }

    /// The provenance.json of a run directory; nil for runs trained without the `xnn` command or
    /// before it existed.
    public static func load(fromRun directory: String) -> Provenance? {
        let file = URL(fileURLWithPath: directory).appendingPathComponent("provenance.json")
        guard let data = try? Data(contentsOf: file) else { return nil }
        return try? JSONDecoder().decode(Provenance.self, from: data)
    }

    /// One line for people: "xnn 0.6.0 (commit 1a2b3c4), started 2026-12-04T11:40:55Z on AMD EPYC
    /// (2 cores), 1 thread: xnn train c.yaml".
    public var summary: String {
        let commit = sourceCommit.map { " (commit \($0.prefix(7)))" } ?? ""
        let command = (["xnn"] + commandLine.dropFirst()).joined(separator: " ")
        return "xnn \(xnnVersion)\(commit), started \(started) on \(machine.processor) (\(machine.cores) cores), "
            + "\(threads) thread\(threads == 1 ? "" : "s"): \(command)"
    }
}

/// The commit a git checkout has checked out, read from its files (no git command needed).
enum SourceCommit {
    /// The checkout containing `file`: the first folder above it with a .git folder, or a .git
    /// file pointing to one (`gitdir: …`, as in a `git worktree` or a submodule).
    static func find(above file: URL) -> String? {
        var folder = file.deletingLastPathComponent()
        while folder.path != "/" {
            let git = folder.appendingPathComponent(".git")
            if FileManager.default.fileExists(atPath: git.path) { return gitDirectory(git).flatMap(commit(in:)) }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// The git directory a .git entry stands for: itself when a folder, the one its `gitdir:` line
    /// names (relative to the checkout when not absolute) when a file.
    static func gitDirectory(_ git: URL) -> URL? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: git.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return git }
        guard let line = try? String(contentsOf: git, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
              line.hasPrefix("gitdir: ") else { return nil }
        return resolve(String(line.dropFirst(8)), in: git.deletingLastPathComponent())
    }

    /// A path from a git file: absolute, or relative to `folder`.
    static func resolve(_ path: String, in folder: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path).standardizedFileURL
    }

    /// HEAD's commit: HEAD itself, the loose ref it names, or that ref's line in packed-refs. A
    /// worktree's git directory holds its own HEAD; its branches live in the shared directory its
    /// `commondir` file names.
    static func commit(in git: URL) -> String? {
        guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard head.hasPrefix("ref: ") else { return head.count == 40 ? head : nil }
        let ref = String(head.dropFirst(5))
        let common = (try? String(contentsOf: git.appendingPathComponent("commondir"), encoding: .utf8))
            .map { resolve($0.trimmingCharacters(in: .whitespacesAndNewlines), in: git) }
        for folder in [git] + (common.map { [$0] } ?? []) {
            if let loose = try? String(contentsOf: folder.appendingPathComponent(ref), encoding: .utf8) {
                return loose.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let packed = (try? String(contentsOf: folder.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
            if let line = packed.split(separator: "\n").first(where: { $0.hasSuffix(" " + ref) }) { return String(line.prefix(40)) }
        }
        return nil
    }
}
