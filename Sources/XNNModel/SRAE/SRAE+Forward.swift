import XNNLinearAlgebra

/// The forward passes, written once: training, inference and the heatmaps' Jacobian all run the
/// encoder and decoder through these two functions, each layer into a buffer the caller owns.
extension SRAE {
    /// z → x through the encoder, layer l into `outputs[l]`; the last buffer is x. Dropout (training
    /// only) follows the first hidden layer; `generator` is drawn from only for `.sample`.
    @discardableResult
    public func encode(_ z: Matrix, into outputs: [Matrix], dropout: Dropout? = nil, mode: DropoutMode = .off,
                       generator: inout SeededGenerator) -> Matrix {
        var input = z
        for (l, layer) in encoder.enumerated() {
            layer.forward(input, into: outputs[l])
            if l == 0, l < encoder.count - 1, let dropout {
                switch mode {
                case .off: break
                case .sample: dropout.forward(outputs[0], using: &generator)
                case .reuseMask: dropout.reapply(outputs[0])
                }
            }
            input = outputs[l]
        }
        return input
    }

    /// x → ẑ through the decoder, layer l into `outputs[l]`; the last buffer is ẑ.
    @discardableResult
    public func decode(_ x: Matrix, into outputs: [Matrix]) -> Matrix {
        var input = x
        for (l, layer) in decoder.enumerated() {
            layer.forward(input, into: outputs[l])
            input = outputs[l]
        }
        return input
    }
}
