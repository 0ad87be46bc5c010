import XNNClustering
import XNNLinearAlgebra
import XNNModel

/// The global variant of the layer-wise clustering (docs/layers.md, "channel_clusters"), a
/// docs/method.md §7 baseline: the channels of the explained layer are clustered over the training
/// rows into k groups, and concept j is the share-weighted mean of its group's pooled activations.
/// Per image, the method weighs channels by guided Grad-CAM; over a data set of pooled activations
/// the gradient of the explained outputs is that of their linear read-out (ridge, training rows),
/// β_ck at every row, so a channel's weight is `w_k = Σ_c mean_i [z_ik > 0]·max(0, β_ck)`. The
/// ridge (`readoutRidge` × the mean diagonal of the Gram matrix) plays the part of a CNN head's
/// weight decay: channels that carry the same signal share its weight instead of cancelling.
public enum ChannelClusters {
    /// At most this many training rows (evenly spaced) describe a channel for the embedding.
    public static let descriptorRows = 5000
    public static let readoutRidge = 1e-2

    public struct Fit: Sendable {
        /// Channel indices of each concept, ascending within a group.
        public let groups: [[Int]]
        /// p_k = 100·w_k / Σ w per channel of the layer.
        public let shares: [Double]
    }

    /// Shares, the channels above 0.9 × the uniform share (at least the k heaviest), their
    /// min–max normalised profiles over the training rows embedded (PCA, t-SNE) and cut by Ward
    /// into exactly k groups.
    public static func fit(inputs: Matrix, targets: Matrix, rows: [Int], concepts k: Int, seed: UInt64) throws -> Fit {
        let d = inputs.columns
        let shares = try channelShares(inputs: inputs, targets: targets, rows: rows)
        var clustering = ChannelClustering(seed: seed)
        let threshold = clustering.keepAboveUniform * 100 / Double(d)
        let byShare = (0..<d).sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : $0 < $1 }
        let kept = byShare.prefix(max(k, shares.filter { $0 > threshold }.count)).sorted()
        guard kept.count > k else { return Fit(groups: kept.map { [$0] }, shares: shares) }
        let step = max(1, rows.count / descriptorRows), sampled = stride(from: 0, to: rows.count, by: step).map { rows[$0] }
        let profiles = kept.map { channel in ChannelClustering.minMaxNormalised(sampled.map { inputs[$0, channel] }) }
        clustering.clusterCounts = k...k
        let labels = clustering.bestClustering(try clustering.embed(profiles)).labels
        var groups = [[Int]](repeating: [], count: k)
        for (index, label) in labels.enumerated() { groups[label].append(kept[index]) }
        return Fit(groups: groups, shares: shares)
    }

    /// 100·w_k / Σ w with the guided weights of the ridge read-out (all equal when none is positive).
    static func channelShares(inputs: Matrix, targets: Matrix, rows: [Int]) throws -> [Double] {
        let d = inputs.columns, outputs = targets.columns
        let z = ActivationData.gathered(rows: rows, from: inputs), y = ActivationData.gathered(rows: rows, from: targets)
        let readout = try LeastSquares.fitAffine(inputs: z, targets: y, ridge: readoutRidge)
        var weights = [Double](repeating: 0, count: d)
        for j in 0..<d {
            var active = 0.0
            for i in 0..<rows.count where z[i, j] > 0 { active += 1 }
            active /= Double(max(1, rows.count))
            for c in 0..<outputs { weights[j] += active * max(0, Double(readout.weights[c * d + j])) }
        }
        let total = weights.reduce(0, +)
        return weights.map { total > 0 ? 100 * $0 / total : 100 / Double(d) }
    }

    /// x = E z with E[j, k] = p_k / Σ_{l∈C_j} p_l for k in group j (a plain mean when the group's
    /// shares are all 0); ẑ by least squares from x over the training rows. A one-layer linear SRAE.
    public static func model(_ fit: Fit, inputs: Matrix, rows: [Int], outputs: Int) throws -> SRAE {
        let d = inputs.columns, k = fit.groups.count
        let model = SRAE(architecture: .linear(inputDimension: d, concepts: k, outputs: outputs))
        let encoder = model.encoder[0], decoder = model.decoder[0]
        encoder.weight.value.fill(0)
        encoder.bias.value.fill(0)
        for (j, group) in fit.groups.enumerated() {
            let total = group.reduce(0) { $0 + fit.shares[$1] }
            for channel in group { encoder.weight.value[j, channel] = Float(total > 0 ? fit.shares[channel] / total : 1 / Double(group.count)) }
        }
        // The decoder is fitted to the concepts the finished encoder gives.
        let (x, _) = model.infer(inputs, rows: rows)
        let rebuild = try LeastSquares.fitAffine(inputs: x, targets: ActivationData.gathered(rows: rows, from: inputs), ridge: 1e-3)
        for (i, w) in rebuild.weights.enumerated() { decoder.weight.value.storage[i] = w }
        for (i, b) in rebuild.intercepts.enumerated() { decoder.bias.value.storage[i] = b }
        return model
    }
}
