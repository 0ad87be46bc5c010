import Foundation

/// Work that a `WorkerPool` splits: each worker index handles its own share.
public protocol WorkerTask: AnyObject {
    func run(worker: Int)
}

/// A fixed set of threads that run one task on every worker index and wait for all of them:
/// the element-wise passes (Adam, above all) use the cores BLAS uses for the products.
///
/// The threads start once and sleep on semaphores between calls, so `run` neither spawns nor
/// allocates: it is safe inside an allocation-free training step. (A task object rather than a
/// closure: storing a closure for the workers to call would box its context on the heap.)
public final class WorkerPool: @unchecked Sendable {
    /// Workers, counting the calling thread as worker 0.
    public let count: Int
    private var task: (any WorkerTask)?
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

    /// Calls `task.run(worker:)` for every worker index in 0..<count, concurrently, and returns when all are done.
    public func run(_ task: some WorkerTask) {
        if count == 1 { task.run(worker: 0); return }
        self.task = task
        for semaphore in start { semaphore.signal() }
        task.run(worker: 0)
        for _ in start { finished.wait() }
        self.task = nil
    }

    private func serve(_ worker: Int) {
        while true {
            start[worker - 1].wait()
            if stopping { finished.signal(); return }
            task!.run(worker: worker)
            finished.signal()
        }
    }
}
