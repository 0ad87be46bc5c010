import XNNLinearAlgebra
import XNNModel

/// The PCA baseline of docs/method.md §7: x = the k leading principal components of the (training) activations,
/// ẑ = mean + x · components, ŷ by least squares on x. It is built as a one-layer SRAE with linear
/// concept and output layers, so it is saved, evaluated and compared exactly like a trained SRAE.
public enum PrincipalComponents {
    public typealias Fit = PrincipalAxes

    /// The k leading principal axes of `rows` of `data` (PrincipalAxes).
    public static func fit(_ data: Matrix, rows: [Int], components k: Int) throws -> Fit {
        try PrincipalAxes(data, rows: rows, count: k)
    }

    /// The fit as a model: encoder x = W(z − mean), decoder ẑ = Wᵀx + mean, both linear.
    public static func model(_ fit: Fit, outputs: Int) -> SRAE {
        let d = fit.mean.count, k = fit.components.count
        let model = SRAE(architecture: .linear(inputDimension: d, concepts: k, outputs: outputs))
        let encoder = model.encoder[0], decoder = model.decoder[0]
        for c in 0..<k {
            var bias = 0.0
            for j in 0..<d {
                encoder.weight.value[c, j] = Float(fit.components[c][j])
                decoder.weight.value[j, c] = Float(fit.components[c][j])
                bias -= fit.components[c][j] * fit.mean[j]
            }
            encoder.bias.value[0, c] = Float(bias)
        }
        for j in 0..<d { decoder.bias.value[0, j] = Float(fit.mean[j]) }
        return model
    }
}
