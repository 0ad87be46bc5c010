import Foundation

extension WorkerPool {
    /// `body(0) … body(count − 1)` spread over the pool's workers, each taking the next index not yet
    /// taken, and their results in index order. Which worker runs an index changes from call to
    /// call; the results do not, as long as each body depends on its index alone. Every index runs
    /// even when one throws; the first error in index order is rethrown.
    ///
    /// For a few large, uneven pieces of work (the independent-component analyses of the concept
    /// start). It allocates, so it does not belong inside a training step.
    public func map<T>(_ count: Int, _ body: @escaping (Int) throws -> T) throws -> [T] {
        let task = MapTask(count: count, body: body)
        run(task)
        return try task.results.map { try $0!.get() }
    }
}

/// The pool's task for `map`: a shared counter hands out the indices.
private final class MapTask<T>: WorkerTask {
    let count: Int
    let body: (Int) throws -> T
    private let lock = NSLock()
    private var next = 0
    private(set) var results: [Result<T, Error>?]

    init(count: Int, body: @escaping (Int) throws -> T) {
        self.count = count
        self.body = body
        results = Array(repeating: nil, count: count)
    }

    func run(worker: Int) {
        while let index = take() {
            let result = Result { try body(index) }
            lock.withLock { results[index] = result }
        }
    }

    private func take() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
