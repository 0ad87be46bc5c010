/// How a program lets library code use its cores. OpenBLAS keeps one thread count per process,
/// so library code never sets it: the program passes `.openBLAS` (the `xnn` command does) or
/// `.unchanged` (tests, embedding applications that manage threads themselves), and the library
/// calls `use(_:)` with the count it resolved for the work at hand.
public struct ComputeThreads: Sendable {
    private let apply: @Sendable (Int) -> Void

    public init(apply: @escaping @Sendable (Int) -> Void) { self.apply = apply }

    /// Leaves the process's BLAS thread count as it is.
    public static let unchanged = ComputeThreads { _ in }
    /// Sets OpenBLAS's process-wide thread count.
    public static let openBLAS = ComputeThreads { BLAS.setThreadCount($0) }

    /// Applies `count` and returns a worker pool of that size for the element-wise passes.
    public func use(_ count: Int) -> WorkerPool {
        apply(max(1, count))
        return WorkerPool(threads: max(1, count))
    }
}
