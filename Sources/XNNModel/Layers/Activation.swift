import Foundation

/// The element-wise non-linearity after a dense layer.
public enum Activation: String, Codable, CaseIterable, Sendable {
    case relu
    case linear
    case sigmoid
    case softplus

    @inline(__always)
    public func apply(_ x: Float) -> Float {
        switch self {
        case .relu: return x > 0 ? x : 0
        case .linear: return x
        case .sigmoid: return 1 / (1 + exp(-x))
        case .softplus: return x > 20 ? x : log1p(exp(x))
        }
    }

    /// The derivative written in terms of the activation's output, so the backward pass needs
    /// no copy of the pre-activation.
    @inline(__always)
    public func derivative(fromOutput y: Float) -> Float {
        switch self {
        case .relu: return y > 0 ? 1 : 0
        case .linear: return 1
        case .sigmoid: return y * (1 - y)
        case .softplus: return y > 20 ? 1 : -expm1(-y)
        }
    }
}
