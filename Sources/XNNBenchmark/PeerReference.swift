import Foundation

/// Another framework training the same SRAE on the same activation file: a script in `scripts/`
/// with the CLI `--data FILE --hidden ... --concepts --batch --threads --epochs --json` that prints
/// one JSON line `{"samplesPerSecond": …, "version": …}` and exits with status 3 when its framework
/// (or h5py) is not importable.
public struct Peer: Codable, Sendable, Equatable {
    /// "torch", "jax": the report's column names and the JSON key.
    public var name: String
    /// The framework as people know it, for messages.
    public var title: String
    public var script: String

    public init(name: String, title: String, script: String) {
        self.name = name
        self.title = title
        self.script = script
    }

    /// Ordinary PyTorch (nn.Linear, autograd, torch.optim.Adam), eager.
    public static func torch(script: String = "scripts/torch_reference.py") -> Peer { Peer(name: "torch", title: "PyTorch", script: script) }
    /// JAX with the whole step (forward, losses, gradients, Adam) in one `jax.jit`.
    public static func jax(script: String = "scripts/jax_reference.py") -> Peer { Peer(name: "jax", title: "JAX", script: script) }
}

/// What a peer script reported.
public struct PeerMeasurement: Codable, Sendable, Equatable {
    public let samplesPerSecond: Double
    /// The framework's version.
    public let version: String
}

/// One peer on one case: its measurement, or why it was not run.
public struct PeerResult: Codable, Sendable, Equatable {
    public let peer: String
    public let measurement: PeerMeasurement?
    public let skipped: String?

    public static func measured(_ peer: Peer, _ measurement: PeerMeasurement) -> PeerResult {
        PeerResult(peer: peer.name, measurement: measurement, skipped: nil)
    }

    public static func skipped(_ peer: Peer, _ reason: String) -> PeerResult {
        PeerResult(peer: peer.name, measurement: nil, skipped: reason)
    }
}

extension Peer {
    /// Runs the script with `python` on `dataFile`; a missing script, interpreter or framework is a skip, not an error.
    public func measure(python: PythonInterpreter, dataFile: String, benchmark: BenchmarkCase, threads: Int,
                        timedEpochs: Int) -> PeerResult {
        guard FileManager.default.fileExists(atPath: script) else {
            return .skipped(self, "no \(script) (run from the repository root or pass --\(name)-script)")
        }
        let arguments = [script, "--data", dataFile, "--hidden"] + benchmark.hiddenWidths.map(String.init) + [
            "--concepts", String(benchmark.concepts), "--batch", String(benchmark.batchSize),
            "--threads", String(threads), "--epochs", String(timedEpochs), "--json"]
        let run: PythonInterpreter.Completed
        do { run = try python.run(arguments) } catch { return .skipped(self, "\(python.path) could not start: \(error.localizedDescription)") }
        let lastError = run.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(run.status)"
        // Exit status 3: the script's own "<framework> or h5py is not importable".
        if run.status == 3 { return .skipped(self, "\(lastError) [\(python.path)]") }
        let scriptName = (script as NSString).lastPathComponent
        guard run.status == 0 else { return .skipped(self, "\(scriptName) failed: \(lastError)") }
        let line = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let measurement = try? JSONDecoder().decode(PeerMeasurement.self, from: Data(line.utf8)) else {
            return .skipped(self, "\(scriptName) printed no {\"samplesPerSecond\", \"version\"} line last, but '\(line.prefix(120))'")
        }
        return .measured(self, measurement)
    }
}
