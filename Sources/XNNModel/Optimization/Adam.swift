import Foundation
import XNNKernels
import XNNLinearAlgebra

/// Adam with L2 weight decay added to the gradient, step for step as `torch.optim.Adam`
/// (not AdamW), so a PyTorch reference with the same settings follows the same path. The second
/// moment's bias correction is applied inside the square root (√(v / (1 − β2^t)), as optax has it),
/// not by dividing √v by √(1 − β2^t) as torch does: the same value to rounding, one division fewer.
///
/// At batch 50 the update streams ~28 bytes per parameter, as much time as the products take,
/// so it runs as one vectorised C pass (XNNKernels), split over the cores of a `WorkerPool`.
public final class Adam: WorkerTask {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public internal(set) var step = 0
    private let parameters: [Parameter]
    // Internal, not private: Adam+Checkpoint.swift saves and restores them.
    let firstMoments: [Matrix]
    let secondMoments: [Matrix]
    private let pool: WorkerPool?
    /// Parameter count from which the update is split over the pool (~0.1 ms of work alone).
    static let smallestSharedUpdate = 1 << 16
    /// For each worker, the (parameter index, element range) pieces it updates: equal shares of all elements.
    private let pieces: [[(parameter: Int, elements: Range<Int>)]]

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, pool: WorkerPool? = nil) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        // Waking a thread costs microseconds: a small model updates faster on one.
        let total = parameters.reduce(0) { $0 + $1.value.count }
        self.pool = total >= Adam.smallestSharedUpdate ? pool : nil
        firstMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        secondMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        pieces = Adam.partition(sizes: parameters.map(\.value.count), workers: self.pool?.count ?? 1)
    }

    /// One update of every parameter from its gradient.
    public func update() {
        step += 1
        if let pool {
            pool.run(self)
        } else {
            update(pieces: pieces[0])
        }
    }

    /// One worker's share of the update.
    public func run(worker: Int) {
        update(pieces: pieces[worker])
    }

    private func update(pieces: [(parameter: Int, elements: Range<Int>)]) {
        let correction1 = 1 - pow(beta1, Float(step))
        let correction2Inverse = 1 / (1 - pow(beta2, Float(step)))
        let stepSize = learningRate / correction1
        for piece in pieces {
            let offset = piece.elements.lowerBound
            xnn_adam_update(piece.elements.count,
                            parameters[piece.parameter].value.storage + offset,
                            parameters[piece.parameter].gradient.storage + offset,
                            firstMoments[piece.parameter].storage + offset,
                            secondMoments[piece.parameter].storage + offset,
                            beta1, beta2, weightDecay, stepSize, correction2Inverse, epsilon)
        }
    }

    /// Cuts the concatenation of all parameters into `workers` contiguous runs of equal length.
    static func partition(sizes: [Int], workers: Int) -> [[(parameter: Int, elements: Range<Int>)]] {
        let total = sizes.reduce(0, +)
        var result: [[(parameter: Int, elements: Range<Int>)]] = Array(repeating: [], count: workers)
        var parameterStart = 0
        for (index, size) in sizes.enumerated() {
            for worker in 0..<workers {
                // Global bounds of this worker's run, rounded to 16 elements so pieces stay SIMD-aligned.
                let low = worker == 0 ? 0 : (total * worker / workers) & ~15
                let high = worker == workers - 1 ? total : (total * (worker + 1) / workers) & ~15
                let from = max(low, parameterStart) - parameterStart, to = min(high, parameterStart + size) - parameterStart
                if from < to { result[worker].append((index, from..<to)) }
            }
            parameterStart += size
        }
        return result
    }

    /// Forgets the moments of selected rows of a parameter (a revived concept starts afresh).
    public func resetMoments(of parameter: Parameter, rows: [Int]) {
        guard let index = parameters.firstIndex(where: { $0 === parameter }) else { return }
        for r in rows {
            firstMoments[index].row(r).update(repeating: 0, count: parameter.value.columns)
            secondMoments[index].row(r).update(repeating: 0, count: parameter.value.columns)
        }
    }

    /// Forgets the moments of selected columns of a parameter.
    public func resetMoments(of parameter: Parameter, columns: [Int]) {
        guard let index = parameters.firstIndex(where: { $0 === parameter }) else { return }
        for r in 0..<parameter.value.rows {
            for c in columns {
                firstMoments[index][r, c] = 0
                secondMoments[index][r, c] = 0
            }
        }
    }
}

