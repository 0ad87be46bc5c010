import Foundation
import XNNLinearAlgebra
import XNNModel

/// One way to compute a product (a library and a threading), raced against the others at every
/// shape of the step.
public struct GEMMCandidate: Sendable {
    public let name: String
    /// Times the shape for at least the given seconds.
    let time: @Sendable (ProductShape, Double) -> GEMMMeasurement

    public init(name: String, time: @escaping @Sendable (ProductShape, Double) -> GEMMMeasurement) {
        self.name = name
        self.time = time
    }

    /// `provider` at one thread per call, the product's blocks on the engine's worker pool (with
    /// `GEMMProvider.engine`, what the step does).
    public static func pool(_ pool: WorkerPool, provider: GEMMProvider) -> GEMMCandidate {
        let name = provider.displayName + " + pool"
        return GEMMCandidate(name: name) { shape, seconds in
            GEMMBenchmark.measure(shape, minimumSeconds: seconds, pool: pool, provider: provider)
        }
    }

    /// OpenBLAS's own threading over `threads`, no pool; the previous thread count is restored afterwards.
    public static func openBLASThreads(_ threads: Int) -> GEMMCandidate {
        GEMMCandidate(name: "OpenBLAS threads") { shape, seconds in
            let before = BLAS.threadCount
            BLAS.setThreadCount(threads)
            defer { BLAS.setThreadCount(before) }
            return GEMMBenchmark.measure(shape, minimumSeconds: seconds, pool: nil, provider: .openBLAS)
        }
    }

    /// The candidates `xnn bench` races at every shape, the engine's own first: adding one here is
    /// all a new GEMM provider needs.
    public static func candidates(threads: Int, pool: WorkerPool) -> [GEMMCandidate] {
        [.pool(pool, provider: .engine)] + GEMMProvider.allCases.filter { $0 != .engine }.map { .pool(pool, provider: $0) }
            + [.openBLASThreads(threads)]
    }
}

/// The machine's real limit for one step: every product at its exact shape through the fastest
/// provider, and the step's FLOPs over the sum of those fastest times.
public struct PeakAtShapes: Codable, Sendable {
    public struct Timing: Codable, Sendable {
        public let provider: String
        public let gflops: Double
    }

    public struct ShapePeak: Codable, Sendable {
        public let shape: ProductShape
        /// How many times one step computes it.
        public let count: Int
        /// Every provider's speed, in the order they ran.
        public let timings: [Timing]
        public var fastest: Timing { timings.max { $0.gflops < $1.gflops }! }
        /// Seconds of this shape's products in one step, at the fastest provider's speed.
        public var seconds: Double { Double(count) * shape.flops / (fastest.gflops * 1e9) }
    }

    public let products: [ShapePeak]

    /// FLOPs of all the step's products (= the step's exact FLOP count).
    public var stepFlops: Double { products.reduce(0) { $0 + Double($1.count) * $1.shape.flops } }
    /// The step's products alone, each at its fastest.
    public var stepSeconds: Double { products.reduce(0) { $0 + $1.seconds } }
    /// "Peak at these shapes": what an engine doing nothing but the products, each at its best, would reach.
    public var gflops: Double { stepFlops / stepSeconds / 1e9 }

    public static func measure(_ architecture: SRAEArchitecture, batch: Int, providers: [GEMMCandidate],
                               minimumSeconds: Double) -> PeakAtShapes {
        precondition(!providers.isEmpty, "at least one GEMM provider")
        let products = StepProducts.of(architecture, batch: batch).map { product in
            ShapePeak(shape: product.shape, count: product.count, timings: providers.map { provider in
                Timing(provider: provider.name, gflops: provider.time(product.shape, minimumSeconds).gflops)
            })
        }
        return PeakAtShapes(products: products)
    }
}
