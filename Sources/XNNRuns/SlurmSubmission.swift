import Foundation

/// `xnn sweep FILE --slurm --submit`: the array script with `sbatch --parsable`, then the collect
/// script with `--dependency=afterany:<array job>`, so it runs however the tasks end.
public enum SlurmSubmission {
    public static func submit(_ scripts: SlurmScripts) throws -> (array: String, collect: String) {
        let array = try sbatch(["--parsable", scripts.arrayPath])
        let collect = try sbatch(["--parsable", "--dependency=afterany:\(array)", scripts.collectPath])
        return (array, collect)
    }

    /// The job id sbatch --parsable prints ("1234" or "1234;cluster").
    static func sbatch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw SlurmError.sbatchFailed(arguments: arguments, message: error.localizedDescription) }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let status = process.waitForExit()
        guard status == 0 else {
            let message = status == 127 ? "sbatch is not on PATH" : stderr.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit status \(status)"
            throw SlurmError.sbatchFailed(arguments: arguments, message: message)
        }
        let line = stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let id = String(line.split(separator: ";").first ?? "")
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError.sbatchFailed(arguments: arguments, message: "expected a job id from --parsable, found \"\(line)\"")
        }
        return id
    }
}

public enum SlurmError: Error, CustomStringConvertible, Equatable {
    case sbatchFailed(arguments: [String], message: String)

    public var description: String {
        switch self {
        case .sbatchFailed(let arguments, let message):
            return "sbatch \(arguments.joined(separator: " ")): \(message); the scripts are written, so they can be submitted by hand (docs/sweeps.md)"
        }
    }
}
