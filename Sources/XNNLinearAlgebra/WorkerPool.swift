import Foundation

/// Work that a `WorkerPool` splits: each worker index handles its own share.
public protocol WorkerTask: AnyObject {
    func run(worker: Int)
}

/// A fixed set of threads that run one task on every worker index and wait for all of them: the
/// blocks of a product (`Matrix.assignProduct(…, pool:)`) and the element-wise passes (Adam).
///
/// The threads start once and sleep on semaphores between calls, so `run` neither spawns nor
/// allocates: it is safe inside an allocation-free training step. (A task object rather than a
/// closure: storing a closure for the workers to call would box its context on the heap.)
public final class WorkerPool: @unchecked Sendable {
    /// Workers, counting the calling thread as worker 0.
    public let count: Int
    private let shared: Shared
    /// Reused for every product, so running one allocates nothing.
    private let productTask = ProductTask()

    /// What the threads touch. They hold it strongly, so it outlives the pool until the last
    /// thread has left: a thread still inside `signal()` never sees freed memory.
    private final class Shared: @unchecked Sendable {
        let start: [DispatchSemaphore]
        let finished = DispatchSemaphore(value: 0)
        var task: (any WorkerTask)?
        var stopping = false

        init(workers: Int) { start = (1..<workers).map { _ in DispatchSemaphore(value: 0) } }

        func serve(_ worker: Int) {
            while true {
                start[worker - 1].wait()
                if stopping { return }
                task!.run(worker: worker)
                finished.signal()
            }
        }
    }

    public init(threads: Int) {
        count = max(1, threads)
        shared = Shared(workers: count)
        for worker in 1..<count {
            let thread = Thread { [shared] in shared.serve(worker) }
            thread.name = "xnn-worker-\(worker)"
            thread.start()
        }
    }

    deinit {
        shared.stopping = true
        for semaphore in shared.start { semaphore.signal() }
    }

    /// Calls `task.run(worker:)` for every worker index in 0..<count, concurrently, and returns when all are done.
    public func run(_ task: some WorkerTask) {
        if count == 1 { task.run(worker: 0); return }
        shared.task = task
        for semaphore in shared.start { semaphore.signal() }
        task.run(worker: 0)
        for _ in shared.start { shared.finished.wait() }
        shared.task = nil
    }

    /// Computes every block of `product`, worker w taking blocks w, w + count, …
    func run(_ product: PartitionedProduct) {
        productTask.product = product
        productTask.workers = count
        run(productTask)
        productTask.product = nil
    }
}
