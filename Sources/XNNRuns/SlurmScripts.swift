import Foundation

/// `xnn sweep FILE --slurm` (docs/sweeps.md, "On a cluster"): an sbatch array script, one task per
/// point (`xnn sweep FILE --index $SLURM_ARRAY_TASK_ID`), and a collect script meant to run after
/// it (`--dependency=afterany:`), both in OUTPUT/slurm/. Task logs: OUTPUT/logs/slurm-<job>_<index>.out.
public struct SlurmScripts: Equatable {
    public let array: String
    public let collect: String
    /// Where they are written: OUTPUT/slurm/array.sbatch and collect.sbatch.
    public let arrayPath: String
    public let collectPath: String

    /// `indices`: the points to run (all of them, or the missing ones); `executable` is the `xnn`
    /// each task runs and `workingDirectory` the folder the sweep's relative paths start from; both
    /// must be the same paths on the cluster's nodes (a shared file system).
    public init(plan: SweepPlan, settings: SlurmSettings, indices: [Int], executable: String, workingDirectory: String) {
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path) }
        let output = absolute(plan.outputDirectory)
        let sweepFile = absolute(plan.file)
        let name = "xnn-" + URL(fileURLWithPath: plan.file).deletingPathExtension().lastPathComponent
            .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" }.map(String.init).joined()
        let cpus = Self.cpusPerTask(plan: plan, settings: settings)
        let shared = [settings.time.map { "--time=\($0)" }, settings.memory.map { "--mem=\($0)" },
                      settings.partition.map { "--partition=\($0)" }].compactMap { $0 } + settings.options
            + ["--chdir=" + Self.sbatchValue(workingDirectory)]
        let throttle = plan.jobsGiven.map { "%\($0)" } ?? ""
        let xnn = Self.shellQuoted(executable), sweep = Self.shellQuoted(sweepFile)
        array = Self.script(
            comment: "One array task per point of `xnn sweep \(plan.file) --plan`.",
            options: ["--job-name=\(name)", "--array=\(Self.arraySpec(indices))\(throttle)", "--cpus-per-task=\(cpus)"] + shared
                + ["--output=" + Self.sbatchValue(output + "/logs/slurm-%A_%a.out")],
            command: "exec \(xnn) sweep \(sweep) --index \"$SLURM_ARRAY_TASK_ID\" --cores \"${SLURM_CPUS_PER_TASK:-\(cpus)}\"")
        collect = Self.script(
            comment: "Gathers the finished points into results.csv and summary.html; submit with --dependency=afterany:<array job>.",
            options: ["--job-name=\(name)-collect", "--cpus-per-task=1"] + shared + ["--output=" + Self.sbatchValue(output + "/logs/slurm-%j-collect.out")],
            command: "exec \(xnn) sweep \(sweep) --collect")
        arrayPath = output + "/slurm/array.sbatch"
        collectPath = output + "/slurm/collect.sbatch"
    }

    /// The task's cores, which are its training's BLAS threads: the setting, else the runs' own
    /// `training.threads` when they fix it (the largest), else 1.
    public static func cpusPerTask(plan: SweepPlan, settings: SlurmSettings) -> Int {
        settings.cpusPerTask ?? max(1, plan.runs.map(\.configuration.training.threads).max() ?? 1)
    }

    /// Slurm's --array list: sorted indices with runs of consecutive ones as ranges, e.g. "0-3,7,9-10".
    public static func arraySpec(_ indices: [Int]) -> String {
        var parts: [String] = []
        var start: Int?, previous = -2
        for index in Set(indices).sorted() {
            if index != previous + 1, let first = start { parts.append(first == previous ? "\(first)" : "\(first)-\(previous)"); start = nil }
            if start == nil { start = index }
            previous = index
        }
        if let first = start { parts.append(first == previous ? "\(first)" : "\(first)-\(previous)") }
        return parts.joined(separator: ",")
    }

    /// Writes both scripts (replacing the ones an earlier --slurm wrote).
    public func write() throws {
        let folder = (arrayPath as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw RunError.cannotWrite(path: folder, reason: error.localizedDescription)
        }
        let logs = ((folder as NSString).deletingLastPathComponent as NSString).appendingPathComponent("logs")
        do { try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true) } catch {
            throw RunError.cannotWrite(path: logs, reason: error.localizedDescription)
        }
        for (text, path) in [(array, arrayPath), (collect, collectPath)] {
            // Only a script an earlier --slurm wrote is replaced.
            if let existing = try? String(contentsOfFile: path, encoding: .utf8), !existing.hasPrefix(Self.header) {
                throw RunError.cannotWrite(path: path, reason: "it exists and xnn sweep --slurm did not write it; remove it or choose another output")
            }
            try AtomicFile.write(text, to: path, force: true)
        }
    }

    /// The first lines of every script --slurm writes, by which it knows its own.
    static let header = "#!/bin/bash\n# Written by xnn sweep --slurm (docs/sweeps.md, \"On a cluster\").\n"

    static func script(comment: String, options: [String], command: String) -> String {
        header + (["# " + comment] + options.map { "#SBATCH " + $0 } + [command]).joined(separator: "\n") + "\n"
    }

    /// A word for bash: single-quoted unless it is plainly safe.
    static func shellQuoted(_ text: String) -> String {
        if !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+=:,@".contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// An #SBATCH option's value: double-quoted when it holds spaces, as sbatch reads it.
    static func sbatchValue(_ text: String) -> String {
        text.contains(where: \.isWhitespace) ? "\"" + text + "\"" : text
    }
}
