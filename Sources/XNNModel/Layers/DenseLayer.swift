import XNNKernels
import XNNLinearAlgebra

/// A fully-connected layer `output = activation(input · Wᵀ + b)` with `W` stored as
/// outputs × inputs (PyTorch's layout, so weights compare one to one with a torch reference).
///
/// Forward and backward sit side by side; both work on caller-owned buffers and allocate nothing.
public final class DenseLayer {
    public let inputs: Int
    public let outputs: Int
    public let activation: Activation
    public let weight: Parameter
    public let bias: Parameter
    /// Workers for this layer's products; they change which thread computes what, never the bits
    /// (`ProductPartition`). nil: the calling thread does all of it.
    public var pool: WorkerPool?

    public init(inputs: Int, outputs: Int, activation: Activation, name: String) {
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        weight = Parameter(name: "\(name).weight", rows: outputs, columns: inputs)
        bias = Parameter(name: "\(name).bias", rows: 1, columns: outputs)
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// PyTorch's default for `nn.Linear`: weights and biases uniform in ±1/√inputs.
    public func initialize(using generator: inout SeededGenerator) {
        let bound = 1 / Float(inputs).squareRoot()
        for i in 0..<weight.value.count { weight.value.storage[i] = generator.nextFloat(in: -bound, bound) }
        for i in 0..<bias.value.count { bias.value.storage[i] = generator.nextFloat(in: -bound, bound) }
    }

    /// `output = activation(input · Wᵀ + b)`: one BLAS product, then one fused pass for bias and activation.
    public func forward(_ input: Matrix, into output: Matrix) {
        output.assignProduct(input, weight.value, transposeB: true, pool: pool)
        switch activation {
        case .relu, .linear:  // the common case: one vectorised C pass
            xnn_add_bias_activate(output.rows, outputs, output.storage, bias.value.storage, activation == .relu ? 1 : 0)
        default:
            let b = bias.value.storage, columns = outputs, activation = self.activation
            for r in 0..<output.rows {
                let row = output.row(r)
                for c in 0..<columns { row[c] = activation.apply(row[c] + b[c]) }
            }
        }
    }

    /// Back-propagates `outputGradient` (∂L/∂output, overwritten with ∂L/∂pre-activation).
    ///
    /// Sets `weight.gradient` and `bias.gradient`; writes ∂L/∂input into `inputGradient` when given,
    /// adding to what it holds when `accumulateInputGradient` is true (two branches meeting at x).
    public func backward(input: Matrix, output: Matrix, outputGradient: Matrix,
                         inputGradient: Matrix?, accumulateInputGradient: Bool = false) {
        // One pass: activation derivative and the bias gradient (column sums).
        switch activation {
        case .relu, .linear:
            xnn_activation_backward_bias_gradient(outputGradient.rows, outputs, outputGradient.storage, output.storage,
                                                  bias.gradient.storage, activation == .relu ? 1 : 0)
        default:
            let db = bias.gradient.storage, columns = outputs, activation = self.activation
            db.update(repeating: 0, count: columns)
            for r in 0..<outputGradient.rows {
                let g = outputGradient.row(r), y = output.row(r)
                for c in 0..<columns { let v = g[c] * activation.derivative(fromOutput: y[c]); g[c] = v; db[c] += v }
            }
        }
        weight.gradient.assignProduct(outputGradient, transposeA: true, input, pool: pool)
        if let inputGradient {
            inputGradient.assignProduct(outputGradient, weight.value, beta: accumulateInputGradient ? 1 : 0, pool: pool)
        }
    }
}
