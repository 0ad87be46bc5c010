import XNNLinearAlgebra
import XNNModel
import XNNTraining

/// docs/method.md §6: where on an image each concept lives, from the spatial feature map `A` (h × w × D,
/// channels last) whose spatial mean is the image's pooled activation z — no CNN needed.
public enum ConceptHeatmaps {
    public enum Method: String, CaseIterable, Sendable {
        /// `M_j(u) = ReLU(Σ_d A(u, d) · ∂x_j/∂z_d)`, the gradient taken at the image's z.
        case gradCAM = "grad-cam"
        /// `M_j(u) = x_j(A(u, ·))`: the encoder applied at every location.
        case spatial
    }

    /// The k heatmaps of one image, each h × w, row-major: result[j][u].
    ///
    /// The model works on normalised activations `(z − μ)/σ`; the feature vectors go through the
    /// same map, and the gradient with respect to the raw z carries the chain-rule factor 1/σ_d.
    public static func compute(_ method: Method, model: SRAE, normalization: Normalization,
                               featureMap: UnsafePointer<Float>, height: Int, width: Int) -> [[Float]] {
        let dimension = model.architecture.inputDimension, k = model.architecture.concepts
        let locations = height * width
        switch method {
        case .spatial:
            let vectors = Matrix(rows: locations, columns: dimension)
            vectors.storage.update(from: featureMap, count: locations * dimension)
            normalization.apply(to: vectors)
            let (x, _) = model.infer(vectors, rows: Array(0..<locations))
            return (0..<k).map { j in (0..<locations).map { x[$0, j] } }
        case .gradCAM:
            let z = Matrix(rows: 1, columns: dimension)
            for u in 0..<locations { for d in 0..<dimension { z.storage[d] += featureMap[u * dimension + d] } }
            for d in 0..<dimension { z.storage[d] /= Float(locations) }
            normalization.apply(to: z)
            let jacobian = encoderJacobian(model, at: z)
            // ∂x_j/∂z_d = ∂x_j/∂ẑ_d / σ_d; the map is linear in A, so one product gives every location.
            for j in 0..<k { for d in 0..<dimension { jacobian[j, d] /= normalization.scale[d] } }
            let a = Matrix(rows: locations, columns: dimension)
            a.storage.update(from: featureMap, count: locations * dimension)
            let maps = Matrix(rows: locations, columns: k)
            maps.assignProduct(a, jacobian, transposeB: true)
            return (0..<k).map { j in (0..<locations).map { max(0, maps[$0, j]) } }
        }
    }

    /// ∂x/∂z (k × D) of the encoder at one normalised input z (1 × D), dropout off: the forward
    /// outputs of every layer, then the rows of the identity pulled back layer by layer.
    public static func encoderJacobian(_ model: SRAE, at z: Matrix) -> Matrix {
        let outputs = model.encoder.map { Matrix(rows: 1, columns: $0.outputs) }
        var unused = SeededGenerator(seed: 0)  // dropout is off
        model.encode(z, into: outputs, generator: &unused)
        let k = model.architecture.concepts
        var gradient = Matrix(rows: k, columns: k)
        for j in 0..<k { gradient[j, j] = 1 }
        for (l, layer) in model.encoder.enumerated().reversed() {
            // Through the activation: multiply column c by its derivative at this layer's output.
            for c in 0..<layer.outputs {
                let slope = layer.activation.derivative(fromOutput: outputs[l][0, c])
                for j in 0..<k { gradient[j, c] *= slope }
            }
            let next = Matrix(rows: k, columns: layer.inputs)
            next.assignProduct(gradient, layer.weight.value)  // (k × out) · (out × in)
            gradient = next
        }
        return gradient
    }
}
