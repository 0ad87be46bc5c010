import Foundation
import XNNLinearAlgebra

/// Adam with L2 weight decay added to the gradient, step for step as `torch.optim.Adam`
/// (not AdamW), so a PyTorch reference with the same settings follows the same path.
public final class Adam {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public private(set) var step = 0
    private let parameters: [Parameter]
    private let firstMoments: [Matrix]
    private let secondMoments: [Matrix]

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        secondMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
    }

    /// One update of every parameter from its gradient: a single fused pass per tensor.
    public func update() {
        step += 1
        let correction1 = 1 - pow(beta1, Float(step))
        let correction2Root = (1 - pow(beta2, Float(step))).squareRoot()
        let stepSize = learningRate / correction1
        let b1 = beta1, b2 = beta2, eps = epsilon, decay = weightDecay
        for (index, parameter) in parameters.enumerated() {
            let w = parameter.value.storage, g = parameter.gradient.storage
            let m = firstMoments[index].storage, v = secondMoments[index].storage
            for i in 0..<parameter.value.count {
                let gradient = g[i] + decay * w[i]
                let mi = b1 * m[i] + (1 - b1) * gradient
                let vi = b2 * v[i] + (1 - b2) * gradient * gradient
                m[i] = mi
                v[i] = vi
                w[i] -= stepSize * mi / (vi.squareRoot() / correction2Root + eps)
            }
        }
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
