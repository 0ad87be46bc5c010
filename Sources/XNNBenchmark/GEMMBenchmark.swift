import Foundation
import XNNLinearAlgebra

/// One SGEMM shape timed through the same OpenBLAS the engine uses.
public struct GEMMMeasurement: Codable, Sendable {
    /// `C (m × n) = op(A) (m × k) · op(B) (k × n)`.
    public let m: Int
    public let n: Int
    public let k: Int
    public let transposeB: Bool
    public let gflops: Double

    public var label: String { "\(m)×\(k)·\(k)×\(n)" + (transposeB ? " (Bᵀ)" : "") }
}

/// The machine's SGEMM speed: the ceiling the engine's products can reach.
public enum GEMMBenchmark {
    /// Repeats the product until `minimumSeconds` have passed (after one untimed call) and
    /// reports 2·m·n·k FLOPs per call over the mean time. `pool` computes the product's blocks as the engine's do.
    public static func measure(m: Int, n: Int, k: Int, transposeB: Bool = false, minimumSeconds: Double = 0.5,
                               pool: WorkerPool? = nil) -> GEMMMeasurement {
        var generator = SeededGenerator(seed: 7, stream: 0)
        let a = Matrix(rows: m, columns: k), b = transposeB ? Matrix(rows: n, columns: k) : Matrix(rows: k, columns: n)
        for i in 0..<a.count { a.storage[i] = generator.nextFloat(in: -1, 1) }
        for i in 0..<b.count { b.storage[i] = generator.nextFloat(in: -1, 1) }
        let c = Matrix(rows: m, columns: n)
        c.assignProduct(a, b, transposeB: transposeB, pool: pool)
        var calls = 0
        let clock = ContinuousClock(), start = clock.now
        var elapsed = 0.0
        repeat {
            c.assignProduct(a, b, transposeB: transposeB, pool: pool)
            calls += 1
            elapsed = (clock.now - start).seconds
        } while elapsed < minimumSeconds
        return GEMMMeasurement(m: m, n: n, k: k, transposeB: transposeB,
                               gflops: 2 * Double(m) * Double(n) * Double(k) * Double(calls) / elapsed / 1e9)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
