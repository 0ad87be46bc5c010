import XNNLinearAlgebra

extension SRAE {
    /// One batch: the forward pass, every loss term of docs/method.md §3, and the analytic gradient of the
    /// weighted total in every `Parameter.gradient`. Allocates nothing; the optimiser step is the caller's.
    ///
    /// Data flow:  z ─encoder→ x ─predictor→ ŷ        (L_faith)
    ///                         x ─decoder→ ẑ          (L_SR)
    ///                         S = x ⊙ v̄              (L_PT)
    @discardableResult
    public func computeLossAndGradients(inputs z: Matrix, targets y: Matrix, weights: LossWeights,
                                        workspace ws: SRAEWorkspace, dropout: DropoutMode,
                                        generator: inout SeededGenerator) -> LossValues {
        ws.setBatchSize(z.rows)
        let x = forwardEncoder(z, workspace: ws, dropout: dropout, generator: &generator)
        let dx = ws.encoderGradients[encoder.count - 1]
        var losses = LossValues()

        // Faithfulness: ŷ = V x + b against the CNN's scores; the predictor's backward starts ∂L/∂x.
        predictor.forward(x, into: ws.prediction)
        losses.faithfulness = FaithfulnessLoss.evaluate(prediction: ws.prediction, target: y,
                                                        gradient: ws.predictionGradient, scale: weights.prediction)
        predictor.backward(input: x, output: ws.prediction, outputGradient: ws.predictionGradient, inputGradient: dx)

        // Pull-away on the contributions S = x ⊙ v̄; adds to ∂L/∂x and ∂L/∂V.
        if weights.pullAway != 0 {
            losses.pullAway = pullAwayLossAndGradient(x: x, dx: dx, weights: weights, workspace: ws)
        }

        // Optional concept sparsity on x itself; adds to ∂L/∂x.
        if weights.conceptSparsity != 0 {
            losses.sparsity = ConceptSparsityLoss.evaluate(x: x, dx: dx, scale: weights.conceptSparsity)
        }

        // Sparse reconstruction: x → ẑ, whose first layer's input gradient adds into ∂L/∂x.
        if weights.reconstruction != 0 {
            let reconstruction = decode(x, into: ws.decoderOutputs)
            losses.reconstruction = ReconstructionLoss.evaluate(
                penalty: weights.reconstructionPenalty, reconstruction: reconstruction, target: z,
                gradient: ws.decoderGradients[decoder.count - 1], scale: weights.reconstruction,
                logPenaltyStrength: weights.logPenaltyStrength, dimensionErrors: ws.dimensionErrors)
            for l in stride(from: decoder.count - 1, through: 0, by: -1) {
                decoder[l].backward(input: l == 0 ? x : ws.decoderOutputs[l - 1], output: ws.decoderOutputs[l],
                                    outputGradient: ws.decoderGradients[l],
                                    inputGradient: l == 0 ? dx : ws.decoderGradients[l - 1],
                                    accumulateInputGradient: l == 0)
            }
        } else {
            for layer in decoder { layer.weight.gradient.fill(0); layer.bias.gradient.fill(0) }
        }

        // Encoder, from ∂L/∂x back to the first layer's weights.
        for l in stride(from: encoder.count - 1, through: 0, by: -1) {
            if l == 0, dropout != .off, let mask = ws.dropout { mask.backward(ws.encoderGradients[0]) }
            encoder[l].backward(input: l == 0 ? z : ws.encoderOutputs[l - 1], output: ws.encoderOutputs[l],
                                outputGradient: ws.encoderGradients[l],
                                inputGradient: l == 0 ? nil : ws.encoderGradients[l - 1])
        }

        losses.total = Double(weights.prediction) * losses.faithfulness
            + Double(weights.reconstruction) * losses.reconstruction
            + Double(weights.pullAway) * losses.pullAway
            + Double(weights.conceptSparsity) * losses.sparsity
        return losses
    }

    /// z → x through the encoder (dropout after the first layer when training); records each
    /// concept's firing count for dead-concept detection. Returns x (a workspace buffer).
    @discardableResult
    public func forwardEncoder(_ z: Matrix, workspace ws: SRAEWorkspace, dropout: DropoutMode,
                               generator: inout SeededGenerator) -> Matrix {
        let x = encode(z, into: ws.encoderOutputs, dropout: ws.dropout, mode: dropout, generator: &generator)
        let k = architecture.concepts, counts = ws.conceptFiringCounts
        for r in 0..<x.rows {
            let row = x.row(r)
            for j in 0..<k where row[j] > 0 { counts[j] += 1 }
        }
        return x
    }

    /// L_PT on S = x ⊙ v̄ in the configured mode; adds α_pt·∂L_PT/∂x into `dx` and α_pt·∂L_PT/∂V
    /// into the predictor's weight gradient.
    private func pullAwayLossAndGradient(x: Matrix, dx: Matrix, weights: LossWeights, workspace ws: SRAEWorkspace) -> Double {
        let k = architecture.concepts
        let vBar = ws.conceptWeights, s = ws.contributions, dS = ws.contributionGradient
        conceptWeights(into: vBar)
        for r in 0..<x.rows {
            let xr = x.row(r), sr = s.row(r)
            for j in 0..<k { sr[j] = xr[j] * vBar[j] }
        }
        let loss: Double
        switch weights.pullAwayMode {
        case .features:  // n = k vectors: the columns of S.
            ws.featureGram.assignProduct(s, transposeA: true, s)
            loss = PullAwayLoss.evaluate(gram: ws.featureGram, coupling: ws.featureCoupling, scale: weights.pullAway)
            dS.assignProduct(s, ws.featureCoupling)
        case .samples:  // n = B vectors: the rows of S.
            ws.sampleGram.assignProduct(s, s, transposeB: true)
            loss = PullAwayLoss.evaluate(gram: ws.sampleGram, coupling: ws.sampleCoupling, scale: weights.pullAway)
            dS.assignProduct(ws.sampleCoupling, s)
        }
        // S_ij = x_ij · v̄_j  ⇒  ∂L/∂x_ij += ∂L/∂S_ij · v̄_j  and  ∂L/∂v̄_j = Σ_i ∂L/∂S_ij · x_ij.
        let dvBar = ws.dimensionErrors  // borrowed scratch: reconstruction has not run yet
        dvBar.update(repeating: 0, count: k)
        for r in 0..<x.rows {
            let xr = x.row(r), dxr = dx.row(r), gr = dS.row(r)
            for j in 0..<k {
                dxr[j] += gr[j] * vBar[j]
                dvBar[j] += Double(gr[j] * xr[j])
            }
        }
        // v̄_j = Σ_c V_cj, so every row of ∂L/∂V receives ∂L/∂v̄.
        let dV = predictor.weight.gradient
        for c in 0..<dV.rows { for j in 0..<k { dV[c, j] += Float(dvBar[j]) } }
        return loss
    }
}
