import Foundation

/// `scripts/torch_reference.py` run on the same activation file: ordinary PyTorch (nn.Linear,
/// autograd, torch.optim.Adam) training the same SRAE with the same hyperparameters.
public struct TorchMeasurement: Codable, Sendable {
    public let samplesPerSecond: Double
    public let torchVersion: String
}

public enum TorchReference {
    /// Why the reference was not run, or its measurement.
    public enum Outcome: Sendable {
        case measured(TorchMeasurement)
        case skipped(String)
    }

    /// Runs the script with `python3`; a missing interpreter, torch or h5py is a skip, not an error.
    public static func measure(script: String, dataFile: String, benchmark: BenchmarkCase, threads: Int, timedEpochs: Int) -> Outcome {
        guard FileManager.default.fileExists(atPath: script) else { return .skipped("no \(script) (run from the repository root or pass --torch-script)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--data", dataFile,
                             "--hidden"] + benchmark.hiddenWidths.map(String.init) + [
                             "--concepts", String(benchmark.concepts), "--batch", String(benchmark.batchSize),
                             "--threads", String(threads), "--epochs", String(timedEpochs), "--json"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return .skipped("python3 could not start: \(error.localizedDescription)") }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lastError = stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
        // Exit status 3: the script's own "torch or h5py is not importable".
        if process.terminationStatus == 3 { return .skipped(lastError) }
        guard process.terminationStatus == 0,
              let line = String(decoding: stdout, as: UTF8.self).split(separator: "\n").last,
              let measurement = try? JSONDecoder().decode(TorchMeasurement.self, from: Data(line.utf8)) else {
            return .skipped("torch_reference.py failed: \(lastError)")
        }
        return .measured(measurement)
    }
}
