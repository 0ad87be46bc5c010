import Foundation

/// How a program lets library code use its cores. Parallel work runs on a `WorkerPool` whose
/// blocks are cut by shape alone (`ProductPartition`), so results do not depend on the thread
/// count — provided OpenBLAS itself runs one thread per call, because its own threading partitions
/// by thread count. OpenBLAS keeps that setting per process, so library code never changes it: the
/// program passes `.openBLAS` (the `xnn` command does) or `.unchanged` (tests, embedding
/// applications that manage threads themselves; products then use the pool only when OpenBLAS
/// already runs one thread).
public struct ComputeThreads: Sendable {
    private let prepare: @Sendable () -> Void
    /// Cores an automatic thread count (`training.threads: 0`) may use: all of them, unless the
    /// program shares the machine (`xnn sweep` gives each of its parallel runs its share).
    public let cores: Int

    public init(cores: Int = ProcessInfo.processInfo.activeProcessorCount, prepare: @escaping @Sendable () -> Void) {
        self.cores = max(1, cores)
        self.prepare = prepare
    }

    /// Leaves the process's BLAS thread count as it is.
    public static let unchanged = ComputeThreads {}
    /// Sets OpenBLAS to one thread per call: the pool provides the parallelism.
    public static let openBLAS = ComputeThreads { BLAS.setThreadCount(1) }

    /// The same preparation, with automatic thread counts held to `count` cores.
    public func limited(toCores count: Int) -> ComputeThreads { ComputeThreads(cores: count, prepare: prepare) }

    /// Prepares BLAS and returns a worker pool of `count` threads for the products and element-wise passes.
    public func use(_ count: Int) -> WorkerPool {
        prepare()
        return WorkerPool(threads: max(1, count))
    }
}
