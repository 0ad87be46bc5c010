import Foundation
import XNNStorage

/// Everything one `xnn bench` measured: the SGEMM ceiling, and per case the engine, the same-shape
/// SGEMM and (when torch is importable) the PyTorch reference.
public struct BenchmarkReport: Codable, Sendable {
    public struct CaseResult: Codable, Sendable {
        public let benchmark: BenchmarkCase
        public let flopsPerSample: Double
        public let engine: EngineMeasurement
        /// The step's largest product alone at this batch: z (B × D) · W₁ᵀ.
        public let largestProduct: GEMMMeasurement
        public let torch: TorchMeasurement?
        public let torchSkipped: String?

        public var speedupOverTorch: Double? { torch.map { engine.samplesPerSecond / $0.samplesPerSecond } }
    }

    public let threads: Int
    public let blasConfiguration: String
    /// A large square SGEMM: what the cores can do at best.
    public let peak: GEMMMeasurement
    public var cases: [CaseResult]
    public var streaming: StreamingResult?

    /// Training from a file larger than the memory budget against the same file in memory.
    public struct StreamingResult: Codable, Sendable {
        public let benchmark: BenchmarkCase
        public let fileMegabytes: Double
        public let budgetMegabytes: Double
        public let chunkRows: Int
        public let bufferRows: Int
        public let inMemorySamplesPerSecond: Double
        public let streamedSamplesPerSecond: Double
        public var ratio: Double { streamedSamplesPerSecond / inMemorySamplesPerSecond }
    }

    /// The human-readable table.
    public var table: String {
        func format(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
        var lines = ["SGEMM \(peak.label): \(format(peak.gflops, 1)) GFLOP/s  (OpenBLAS \(blasConfiguration), \(threads) threads)", ""]
        let header = ["case", "engine samples/s", "GFLOP/s", "% of peak", "% of same-shape GEMM", "torch samples/s", "engine/torch"]
        var rows: [[String]] = [header]
        for result in cases {
            rows.append([
                result.benchmark.label,
                format(result.engine.samplesPerSecond),
                format(result.engine.gflops, 1),
                format(100 * result.engine.gflops / peak.gflops) + "%",
                format(100 * result.engine.gflops / result.largestProduct.gflops) + "% of " + format(result.largestProduct.gflops),
                result.torch.map { format($0.samplesPerSecond) } ?? "—",
                result.speedupOverTorch.map { format($0, 2) + "×" } ?? "—",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max()! }
        for row in rows {
            lines.append(zip(row, widths).enumerated().map { index, cell in
                index == 0 ? cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0)
                           : String(repeating: " ", count: cell.1 - cell.0.count) + cell.0
            }.joined(separator: "  "))
        }
        if let skipped = cases.compactMap(\.torchSkipped).first { lines.append("PyTorch reference skipped: \(skipped)") }
        if let streaming {
            lines.append("")
            lines.append("streaming \(streaming.benchmark.label): file \(format(streaming.fileMegabytes)) MB, budget \(format(streaming.budgetMegabytes)) MB "
                         + "(buffer \(streaming.bufferRows) rows, chunks of \(streaming.chunkRows)): "
                         + "\(format(streaming.streamedSamplesPerSecond)) samples/s streamed vs \(format(streaming.inMemorySamplesPerSecond)) in memory "
                         + "(\(format(100 * streaming.ratio))%)")
        }
        return lines.joined(separator: "\n")
    }

    public func json() throws -> String { try JSONText.encode(self) }
}
