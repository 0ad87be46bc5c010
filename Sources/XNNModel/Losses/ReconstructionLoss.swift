import Foundation
import XNNKernels
import XNNLinearAlgebra

/// How the decoder's reconstruction ẑ of the activations z is penalised (docs/method.md §3).
public enum ReconstructionPenalty: String, Codable, CaseIterable, Sendable {
    /// `L_SR = 1/D Σ_d log(1 + q · e_d)` with `e_d` the batch-mean squared error of dimension d.
    /// The log saturates, so the model may give up on some dimensions: the "sparse" in SRAE.
    case sparseLog = "sparse_log"
    /// Plain mean squared error over all entries: the ablation.
    case meanSquared = "mse"
}

public enum ReconstructionLoss {
    /// Returns the loss and writes `scale · ∂L/∂ẑ` into `gradient`.
    /// `dimensionErrors` is a workspace of at least `target.columns` Doubles (it ends holding e_d).
    public static func evaluate(penalty: ReconstructionPenalty, reconstruction: Matrix, target: Matrix,
                                gradient: Matrix, scale: Float, logPenaltyStrength q: Float,
                                dimensionErrors: UnsafeMutablePointer<Double>) -> Double {
        precondition(reconstruction.rows == target.rows && reconstruction.columns == target.columns)
        let rows = target.rows, columns = target.columns
        guard rows > 0, columns > 0 else { return 0 }
        let r = reconstruction.storage, t = target.storage, g = gradient.storage
        switch penalty {
        case .meanSquared:
            return MeanSquaredError.evaluate(prediction: reconstruction, target: target, gradient: gradient, scale: scale)
        case .sparseLog:
            // Pass 1: the residuals into the gradient buffer and their per-dimension mean square.
            dimensionErrors.update(repeating: 0, count: columns)
            xnn_residuals_and_column_squares(rows, columns, r, t, g, dimensionErrors)
            var loss: Double = 0
            for d in 0..<columns {
                dimensionErrors[d] /= Double(rows)
                loss += log1p(Double(q) * dimensionErrors[d])
            }
            // Pass 2: ∂L/∂ẑ_id = (1/D) · q / (1 + q e_d) · (2/B) · (ẑ_id − z_id); the factor of each d
            // replaces e_d in the workspace, then scales the residuals.
            let common = Double(scale) * 2 / Double(rows * columns)
            for d in 0..<columns { dimensionErrors[d] = common * Double(q) / (1 + Double(q) * dimensionErrors[d]) }
            xnn_scale_columns(rows, columns, g, dimensionErrors)
            return loss / Double(columns)
        }
    }
}
