import Foundation
import XNNLinearAlgebra

/// The shape of one product `C (m × n) = op(A) (m × k) · op(B) (k × n)`.
public struct ProductShape: Codable, Sendable, Hashable {
    public let m: Int
    public let n: Int
    public let k: Int
    public let transposeA: Bool
    public let transposeB: Bool

    public init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false) {
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
    }

    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// "50×800×1280 NT": M×N×K, then whether A and B enter transposed (BLAS's N/T).
    public var label: String { "\(m)×\(n)×\(k) \(transposeA ? "T" : "N")\(transposeB ? "T" : "N")" }
}

/// One SGEMM shape timed through `Matrix.assignProduct`.
public struct GEMMMeasurement: Codable, Sendable {
    public let shape: ProductShape
    public let gflops: Double
    /// Mean seconds of one call.
    public var seconds: Double { shape.flops / (gflops * 1e9) }
}

/// The machine's SGEMM speed: what the engine's products can reach.
public enum GEMMBenchmark {
    /// Repeats the product until `minimumSeconds` have passed (after one untimed call) and
    /// reports 2·m·n·k FLOPs per call over the mean time. `pool` computes the product's blocks as the engine's do.
    public static func measure(_ shape: ProductShape, minimumSeconds: Double = 0.5, pool: WorkerPool? = nil,
                               provider: GEMMProvider = .engine) -> GEMMMeasurement {
        var generator = SeededGenerator(seed: 7, stream: 0)
        let a = shape.transposeA ? Matrix(rows: shape.k, columns: shape.m) : Matrix(rows: shape.m, columns: shape.k)
        let b = shape.transposeB ? Matrix(rows: shape.n, columns: shape.k) : Matrix(rows: shape.k, columns: shape.n)
        for i in 0..<a.count { a.storage[i] = generator.nextFloat(in: -1, 1) }
        for i in 0..<b.count { b.storage[i] = generator.nextFloat(in: -1, 1) }
        let c = Matrix(rows: shape.m, columns: shape.n)
        func product() { c.assignProduct(a, transposeA: shape.transposeA, b, transposeB: shape.transposeB, pool: pool, provider: provider) }
        product()
        var calls = 0
        let clock = ContinuousClock(), start = clock.now
        var elapsed = 0.0
        repeat {
            product()
            calls += 1
            elapsed = (clock.now - start).seconds
        } while elapsed < minimumSeconds
        return GEMMMeasurement(shape: shape, gflops: shape.flops * Double(calls) / elapsed / 1e9)
    }
}
