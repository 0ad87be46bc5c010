import Foundation

/// A fixed set of threads that run one body on every worker index and wait for all of them:
/// the element-wise passes (Adam, above all) use the cores BLAS uses for the products.
///
/// The threads start once and sleep on semaphores between calls, so `run` neither spawns nor
/// allocates: it is safe inside an allocation-free training step.
public final class WorkerPool: @unchecked Sendable {
    /// Workers, counting the calling thread as worker 0.
    public let count: Int
    private var body: ((Int) -> Void)?
    private let start: [DispatchSemaphore]
    private let finished = DispatchSemaphore(value: 0)
    private var stopping = false

    public init(threads: Int) {
        count = max(1, threads)
        start = (1..<max(count, 1)).map { _ in DispatchSemaphore(value: 0) }
        for worker in 1..<max(count, 1) {
            let thread = Thread { [unowned(unsafe) self] in self.serve(worker) }
            thread.name = "xnn-worker-\(worker)"
            thread.start()
        }
    }

    deinit {
        stopping = true
        for semaphore in start { semaphore.signal() }
        for _ in start { finished.wait() }
    }

    /// Calls `body(worker)` for every worker index in 0..<count, concurrently, and returns when all are done.
    public func run(_ body: (Int) -> Void) {
        if count == 1 { body(0); return }
        withoutActuallyEscaping(body) { body in
            self.body = body
            for semaphore in start { semaphore.signal() }
            body(0)
            for _ in start { finished.wait() }
            self.body = nil
        }
    }

    /// The half-open share of `0..<total` that `worker` handles (contiguous, sizes differ by at most one).
    public func share(of total: Int, worker: Int) -> Range<Int> {
        (total * worker / count)..<(total * (worker + 1) / count)
    }

    private func serve(_ worker: Int) {
        while true {
            start[worker - 1].wait()
            if stopping { finished.signal(); return }
            body!(worker)
            finished.signal()
        }
    }
}
