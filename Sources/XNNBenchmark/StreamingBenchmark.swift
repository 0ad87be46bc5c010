import Foundation
import XNNTraining

/// Training from a file several times larger than the memory budget, against the same file
/// loaded whole, both with the same chunk shuffle: what streaming costs.
public struct StreamingBenchmark {
    public var benchmark: BenchmarkCase
    /// Rows of the generated file.
    public var rows: Int
    /// The budget is the file size divided by this (the issue asks for at least 4).
    public var fileToBudget: Double = 4.5
    /// Where the file goes; it is removed afterwards unless `keepFile`.
    public var path: String
    public var keepFile: Bool

    public init(benchmark: BenchmarkCase, rows: Int, path: String, keepFile: Bool) {
        self.benchmark = benchmark
        self.rows = rows
        self.path = path
        self.keepFile = keepFile
    }

    /// The shuffle settings that fit the budget: the buffer takes ~70% of it, chunks an eighth of the buffer.
    public func shuffleSettings(budgetMB: Double) -> (chunkRows: Int, bufferRows: Int) {
        let rowBytes = Double((benchmark.dimension + benchmark.outputs) * 4)
        let bufferRows = max(16, Int(0.7 * budgetMB * 1_048_576 / rowBytes))
        return (max(1, min(1024, bufferRows / 8)), bufferRows)
    }

    public func run(threads: Int, timedEpochs: Int, progress: (String) -> Void) throws -> BenchmarkReport.StreamingResult {
        let settings = shuffleSettings(budgetMB: 1)  // chunk size for the file layout only
        progress("streaming: writing \(rows) × \(benchmark.dimension) rows to \(path)")
        let bytes = try SyntheticActivations.writeFile(to: path, rows: rows, dimension: benchmark.dimension,
                                                       outputs: benchmark.outputs, seed: 2, chunkRows: settings.chunkRows)
        defer { if !keepFile { try? FileManager.default.removeItem(atPath: path) } }
        let fileMB = Double(rows * benchmark.dimension * 4) / 1_048_576
        let budgetMB = fileMB / fileToBudget
        let shuffle = shuffleSettings(budgetMB: budgetMB)
        let extra = ["training.shuffle=chunks", "training.shuffle_chunk_rows=\(shuffle.chunkRows)",
                     "training.shuffle_buffer_rows=\(shuffle.bufferRows)"]
        func measure(budget: Double) throws -> Double {
            var configuration = try EngineBenchmark.configuration(for: benchmark, epochs: 1, threads: threads, file: path, extra: extra)
            configuration.data.memoryBudgetMB = budget
            let data = try ActivationData.load(configuration.data, seed: 1, allowStreaming: true)
            precondition(data.isStreamed == (budget > 0))
            return try EngineBenchmark.measure(benchmark, data: data, threads: threads, timedEpochs: timedEpochs, extra: extra).samplesPerSecond
        }
        progress("streaming: in memory")
        let inMemory = try measure(budget: 0)
        progress(String(format: "streaming: from disk with a %.1f MB budget", budgetMB))
        let streamed = try measure(budget: budgetMB)
        return .init(benchmark: benchmark, fileMegabytes: Double(bytes) / 1_048_576, budgetMegabytes: budgetMB,
                     chunkRows: shuffle.chunkRows, bufferRows: shuffle.bufferRows,
                     inMemorySamplesPerSecond: inMemory, streamedSamplesPerSecond: streamed)
    }
}
